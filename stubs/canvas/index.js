'use strict';
// jsroot imports `canvas` lazily for server-side image/3D/PDF output, which HEP Arena never uses.
throw new Error('node-canvas is stubbed in HEP Arena (see stubs/canvas); server-side JSROOT image output is not supported');
