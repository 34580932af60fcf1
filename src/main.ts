import { loadConfig, ConfigError } from './config';
import { createLogger } from './platform/log';
import { checkPrepared, prepareDatabase, type PreparedDatabase } from './platform/db/bootstrap';
import { releaseEmbeddedSignalHandlers } from './platform/db/embedded';
import { describeDatabaseError } from './platform/db/errors';
import { createContext } from './platform/context';
import { seedDemo } from './platform/demo/seed';
import { buildApp } from './app';
import { modules } from './modules';
import { startMailCatcher, type MailCatcher } from './modules/notifications';

/**
 * Starts the platform: database (embedded unless DATABASE_URL), jobs, events, HTTP. With an
 * outside database the HTTP server listens first and `/readyz` answers 503 with the reason until
 * the database can be reached and migrated (a wrong password, a cluster still electing its
 * primary): the node waits and says why, rather than exiting into a restart loop.
 */
async function main() {
  let config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(err.message);
      process.exit(2);
    }
    throw err;
  }
  const log = createLogger(config.logLevel);
  const say = (line: string) => (config.mode === 'test' ? log.info(line) : console.log(line));

  // The owner's URL prepares the database (migrations, roles, the job queue's schema) and is closed
  // again; the running platform connects as the application role only. In production the nodes
  // do not prepare at all: `kov db migrate` does, and they get only KOV_APP_DATABASE_URL.
  if (config.mode === 'production' && !config.appDatabaseUrl) {
    console.error(
      'KOV_APP_DATABASE_URL is required in production: the platform connects only as the application role kov_app, never as the owner. ' +
        'As the owner (DATABASE_URL): create the roles once with `kov db roles --app-password-file …` and prepare the database with `kov db migrate` ' +
        '(again at every upgrade); then start the nodes with KOV_APP_DATABASE_URL=postgres://kov_app:…@host/db and without DATABASE_URL (docs/configuration.md, "Database roles").',
    );
    process.exit(2);
  }
  // Only the application role's URL (always in production): check the database is prepared, never prepare it.
  const appOnly = config.mode === 'production' || (!config.databaseUrl && !!config.appDatabaseUrl);
  const ownerForPrepare = appOnly ? undefined : config.databaseUrl;
  if (config.mode === 'production' && config.databaseUrl)
    log.warn(
      "DATABASE_URL is ignored in production: the platform neither migrates nor connects as the owner; run `kov db migrate` to upgrade, and remove DATABASE_URL from the nodes' environment",
    );
  let prepared: PreparedDatabase | undefined;
  let ready = false;
  const prepare = async () => {
    if (appOnly) {
      await checkPrepared(config.appDatabaseUrl!);
      return;
    }
    prepared = await prepareDatabase({
      databaseUrl: ownerForPrepare,
      appDatabaseUrl: config.appDatabaseUrl,
      dataDir: config.dataDir,
      log: say,
    });
  };
  const outside = appOnly || !!config.databaseUrl;
  // The embedded server must run before anything else; an outside one is waited for below.
  if (!outside) {
    await prepare();
    ready = true;
  }
  const ownerUrl = prepared?.ownerUrl ?? ownerForPrepare;
  // Demo and development: a local SMTP server receives every e-mail (the demo mailbox page shows them).
  let catcher: MailCatcher | undefined;
  if (config.mail.catcher) {
    catcher = await startMailCatcher({ ...config.mail.catcher, clock: () => new Date() }).catch((err: Error) => {
      throw new Error(
        `the mail catcher could not listen on ${config.mail.catcher!.host}:${config.mail.catcher!.port} (${err.message}); set MAIL_CATCHER_PORT`,
      );
    });
    config.mail.smtp = { ...config.mail.smtp!, host: catcher.host, port: catcher.port };
  }
  const ctx = createContext(config, ownerUrl, log);
  for (const m of modules) m.jobs?.(ctx);

  const app = await buildApp(ctx, { trustProxy: process.env.TRUST_PROXY === 'true' });
  releaseEmbeddedSignalHandlers();
  let stopping = false;
  let started = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    say(`${signal}: draining (unready, closing event streams), then finishing requests in flight`);
    const force = setTimeout(() => process.exit(1), 15_000 + config.cluster.drainSeconds * 1000);
    force.unref();
    try {
      app.lifecycle.drain(1000);
      // Proxies see /readyz red and connections closing; give them time to move new requests elsewhere.
      if (config.cluster.drainSeconds) await new Promise((r) => setTimeout(r, config.cluster.drainSeconds * 1000));
      await app.close();
      ctx.monitor.stop();
      if (started) await ctx.jobs.stop();
      await ctx.events.stop();
      await ctx.database.close();
      await ctx.readDatabase?.close();
      await catcher?.stop();
      await prepared?.stop();
    } finally {
      process.exit(0);
    }
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));

  const startServices = async () => {
    await ctx.events.start();
    await ctx.jobs.start();
    started = true;
    try {
      for (const m of modules) await m.start?.(ctx);
    } catch (err) {
      console.error(`The platform did not start: ${(err as Error).message}`);
      await ctx.jobs.stop().catch(() => {});
      await ctx.events.stop().catch(() => {});
      await ctx.database.close().catch(() => {});
      await prepared?.stop().catch(() => {});
      process.exit(1);
    }
    if (config.seedDemo) {
      const seeded = await seedDemo(ctx, modules, {
        residents: Number(process.env.KOV_DEMO_RESIDENTS ?? 3000),
        seed: 2026,
        log: say,
      });
      if (seeded) say('demo data seeded');
    }
  };
  // The embedded database is ready now: start everything before listening, as a single node does.
  if (ready) await startServices();
  const address = await app.listen({ host: config.host, port: config.port });
  ctx.monitor.start(2000);

  // An outside database: prepare it (production: check it is prepared), retrying with a clear line
  // while it cannot be reached or used.
  for (let attempt = 1; !ready && !stopping; attempt++) {
    try {
      await prepare();
      ready = true;
    } catch (err) {
      log.error(
        { err: { message: (err as Error).message } },
        `database not usable (attempt ${attempt}): ${describeDatabaseError(err)}; /readyz answers 503 until it is; retrying in 5 s`,
      );
      await new Promise((r) => setTimeout(r, 5000));
    }
  }
  if (stopping) return;
  if (!started) await startServices();

  say('');
  say(`  KOV Platform is running at ${config.publicUrl}  (listening on ${address}, ${config.mode} mode)`);
  if (config.demoIdp) say(`  Log in through the demo identity provider as any synthetic resident or demo official.`);
  say(`  API documentation: ${config.publicUrl}/api/docs`);
  if (catcher)
    say(
      `  E-mail goes to the local mail catcher (SMTP ${catcher.host}:${catcher.port}); read it at ${config.publicUrl}/demo-post`,
    );
  if (prepared?.embedded) say(`  Embedded PostgreSQL: DATABASE_URL=${prepared.ownerUrl}`);
  say('');
  // For process supervisors and tests that start the platform as a child process.
  if (process.send) process.send({ ready: true, url: config.publicUrl });
}

main().catch((err) => {
  console.error(`The platform did not start: ${(err as Error).stack ?? err}`);
  process.exit(1);
});
