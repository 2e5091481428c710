// The parts of autocannon 9's programmatic API the load benchmark uses (the package ships no types).
declare module 'autocannon' {
  type Histogram = { average: number; mean: number; p50: number; p90: number; p99: number; max: number; total: number };
  type Result = { requests: Histogram; latency: Histogram; errors: number; timeouts: number; non2xx: number; '2xx': number; duration: number };
  type Options = { url: string; connections?: number; duration?: number; headers?: Record<string, string>; method?: string; body?: string | Buffer };
  function autocannon(options: Options): Promise<Result>;
  export default autocannon;
}
