export {
  createTestDatabase,
  TEST_POSTGRES_URL,
  TEST_REDIS_URL,
  uniqueQueuePrefix,
  type TestDatabase,
} from './test-database.util.js';
