import { Inject, Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { TokenService } from '@heliomesh/auth';
import { DatabaseConnector } from '@heliomesh/db';
import { LOGGER, type Logger } from '@heliomesh/observability';
import { DEV_CLUSTER_SECRET_KEY } from '@heliomesh/config';
import { errorMessage } from '@heliomesh/util';
import { POLICY_API_CONFIG, type PolicyApiConfig } from './config.js';

/**
 * Makes sure someone can log in: registers ADMIN_TOKEN, or on a fresh database generates a
 * platform admin token and prints it once. Runs when the database becomes reachable.
 */
@Injectable()
export class BootstrapAdmin implements OnApplicationBootstrap {
  constructor(
    @Inject(POLICY_API_CONFIG) private readonly config: PolicyApiConfig,
    private readonly db: DatabaseConnector,
    private readonly tokens: TokenService,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  onApplicationBootstrap(): void {
    if (this.config.CLUSTER_SECRET_KEY === DEV_CLUSTER_SECRET_KEY)
      this.logger.warn(
        'CLUSTER_SECRET_KEY is the development key: set your own (openssl rand -base64 32) outside development',
      );
    void this.db
      .ready()
      .then(() => this.tokens.ensureBootstrapAdmin(this.config.ADMIN_TOKEN))
      .then((result) => {
        if (result.secret) {
          process.stdout.write(`\nBootstrap admin token (shown once, store it now): ${result.secret}\n\n`);
          this.logger.info(
            'a platform admin token was generated and printed once; set ADMIN_TOKEN to choose your own',
          );
        } else if (result.created) this.logger.info('ADMIN_TOKEN registered as a platform admin token');
      })
      .catch((err: unknown) =>
        this.logger.error({ err: errorMessage(err) }, 'could not make sure a platform admin token exists'),
      );
  }
}
