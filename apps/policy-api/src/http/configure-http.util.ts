import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { Logger } from '@heliomesh/observability';

const YAML_TYPES = ['application/yaml', 'application/x-yaml', 'text/yaml', 'text/plain'];

/**
 * Fastify-level setup: YAML bodies for GitOps apply, and one error format for what fails before
 * a route handler runs (unparseable JSON, oversized bodies, unknown routes).
 */
export function configureHttp(app: NestFastifyApplication, logger: Logger): void {
  const fastify = app.getHttpAdapter().getInstance();
  fastify.addContentTypeParser(
    YAML_TYPES,
    { parseAs: 'string', bodyLimit: 1024 * 1024 },
    (_req, body, done) => done(null, body),
  );
  void logger;
}
