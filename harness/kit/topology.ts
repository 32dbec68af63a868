import path from 'node:path';
/** Names in the baseline topology that procedures and probes refer to. */
export const TOPOLOGY = {
  namespace: 'hyperpage',
  appDeployment: 'hyperpage',
  appService: 'hyperpage-service',
  postgresDeployment: 'hyperpage-postgres',
  postgresService: 'hyperpage-postgres',
  postgresSecret: 'hyperpage-postgres-credentials',
  appSecret: 'hyperpage-app-secrets',
  sqlitePvc: 'hyperpage-data-pvc',
  postgresPvc: 'hyperpage-postgres-pvc',
  appImage: 'hyperpage:v0.1.0',
  sqlitePath: '/data/hyperpage.db',
} as const;

/** The drill's own data tool image (datatool/Dockerfile; locally `drill-data:*`): ENTRYPOINT drill-data, a Job passes args. */
export const DATA_TOOL_IMAGE = 'drill-data:v0.1.0';
