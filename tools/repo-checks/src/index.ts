export { declaredVariables, serviceVariables } from './service-env.util.js';
