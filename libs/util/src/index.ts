export { assertUnreachable } from './assert-unreachable.util.js';
export { canonicalJson, contentHash, sha256Hex } from './canonical-json.util.js';
export {
  HeliomeshError,
  errorMessage,
  formatJsonPath,
  type ErrorDetail,
  type JsonPath,
} from './errors.util.js';
export { backoffDelay, retry, sleep, type RetryOptions } from './retry.util.js';
