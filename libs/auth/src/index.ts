export {
  type AuthContext,
  isPlatformAdmin,
  requirePlatformAdmin,
  requireRole,
  roleAllows,
} from './roles.util.js';
export { TokenService } from './token.service.js';
export { generateToken, type GeneratedToken, hashToken, isWellFormedToken } from './token.util.js';
