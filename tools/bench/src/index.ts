export { formatTable, median, measure, percentile, type Measurement } from './bench.util.js';
