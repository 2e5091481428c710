export * from './users';
export * from './dataset-versions';
export * from './challenges';
export * from './phases';
export * from './submissions';
export * from './scores';
