import type { IncomingMessage, ServerResponse } from 'node:http';
import type Provider from 'oidc-provider';
import type { InteractionResults } from 'oidc-provider';
import type { Logger } from 'pino';
import type { Queryable } from '../../../sql/database.js';
import type { AttemptLimiter } from '../attempt-limiter.js';
import { sendPage } from '../pages/html.js';
import type { ClientView } from '../pages/views.js';
import { consentBody, errorBody, loginBody } from '../pages/views.js';
import { checkPassword } from '../users.js';
import type { BrowserGuard } from './browser-guard.js';
import { readForm, sameOrigin } from './browser-guard.js';
import { consentView, grantConsent } from './consent.js';

type Details = Awaited<ReturnType<Provider['interactionDetails']>>;

/** What the sign-in and consent pages need from the authorization server around them. */
export interface InteractionDeps {
  readonly provider: () => Provider;
  readonly db: Queryable;
  readonly guard: BrowserGuard;
  readonly limiter: AttemptLimiter;
  readonly brand: string;
  /** The issuer's origin: form posts from anywhere else are refused. */
  readonly origin: string;
  /** Path the interaction pages live under, e.g. `/oauth/interaction`. */
  readonly basePath: string;
  readonly configuredClients: ReadonlySet<string>;
  readonly scopeDescriptions: ReadonlyMap<string, string>;
  /** The name to show for an account id (a password user or an upstream account). */
  readonly accountName: (accountId: string) => Promise<string | undefined>;
  readonly logger: Logger;
  /** Proxy mode: sign the user in at the upstream provider instead of with a password. */
  readonly beginUpstreamLogin?: (req: IncomingMessage, res: ServerResponse, details: Details) => Promise<void>;
}

const ROUTE = /^\/([\w-]{10,64})(?:\/(login|consent|abort))?$/;

/** Serves `GET {base}/:uid` and `POST {base}/:uid/{login,consent,abort}`; false when the path is not ours. */
export function createInteractionRoutes(deps: InteractionDeps) {
  const page = (res: ServerResponse, status: number, title: string, message: string) =>
    sendPage(res, { status, title, brand: deps.brand, body: errorBody(title, message) });

  async function clientView(clientId: string): Promise<ClientView> {
    const client = await deps.provider().Client.find(clientId);
    const source = deps.configuredClients.has(clientId)
      ? 'configured'
      : (client as { clientIdMetadataDocument?: boolean } | undefined)?.clientIdMetadataDocument
        ? 'metadata-document'
        : 'registered';
    return { name: client?.clientName ?? clientId, clientId, source };
  }

  async function renderLogin(
    req: IncomingMessage,
    res: ServerResponse,
    details: Details,
    error?: string,
    username?: string,
  ) {
    const base = `${deps.basePath}/${details.uid}`;
    const csrf = deps.guard.issue(req, res, details.uid, 'login');
    const client = await clientView(String(details.params.client_id));
    const view = { action: `${base}/login`, abortAction: `${base}/abort`, csrf, client, error, username };
    sendPage(res, { status: error ? 401 : 200, title: 'Sign in', brand: deps.brand, body: loginBody(view) });
  }

  async function renderConsent(req: IncomingMessage, res: ServerResponse, details: Details) {
    const csrf = deps.guard.issue(req, res, details.uid, 'consent');
    const client = await clientView(String(details.params.client_id));
    const accountId = String(details.session?.accountId);
    const view = consentView(details, client, (await deps.accountName(accountId)) ?? accountId, deps);
    sendPage(res, {
      title: 'Allow access',
      brand: deps.brand,
      body: consentBody({ ...view, action: `${deps.basePath}/${details.uid}/consent`, csrf }),
    });
  }

  const finish = (req: IncomingMessage, res: ServerResponse, result: InteractionResults) =>
    deps.provider().interactionFinished(req, res, result, { mergeWithLastSubmission: false });

  async function answer(req: IncomingMessage, res: ServerResponse, details: Details, step: string) {
    const form = await readForm(req);
    // The token binds the browser, the interaction and the step; a step already answered takes no second answer.
    const fresh = details.result === undefined && (step === 'abort' || details.prompt.name === step);
    const tokenStep = step === 'abort' ? details.prompt.name : step;
    if (!form || !sameOrigin(req, deps.origin) || !deps.guard.verify(req, form.get('csrf'), details.uid, tokenStep)) {
      return page(res, 403, 'This form has expired', 'The page was open too long, or the form came from another site.');
    }
    if (!fresh) return page(res, 409, 'Already answered', 'This request was already answered.');
    if (step === 'abort') {
      return finish(req, res, { error: 'access_denied', error_description: 'The user cancelled the sign-in' });
    }
    if (step === 'consent') {
      if (form.get('decision') !== 'allow') {
        return finish(req, res, { error: 'access_denied', error_description: 'The user denied access' });
      }
      const grantId = await grantConsent(deps.provider(), details);
      return finish(req, res, { consent: { grantId } });
    }
    const username = form.get('username') ?? '';
    const key = `${username.toLowerCase()}|${req.socket.remoteAddress}`;
    if (!(await deps.limiter.allow(key))) {
      return renderLogin(req, res, details, 'Too many attempts. Wait a few minutes, then try again.', username);
    }
    const user = await checkPassword(deps.db, username, form.get('password') ?? '');
    if (user === undefined) {
      deps.logger.info({ username }, 'sign-in refused: wrong username or password');
      return renderLogin(req, res, details, 'That username and password do not match.', username);
    }
    await deps.limiter.reset(key);
    return finish(req, res, { login: { accountId: user.id, amr: ['pwd'] } });
  }

  return async function handle(req: IncomingMessage, res: ServerResponse, path: string): Promise<boolean> {
    const match = ROUTE.exec(path);
    if (!match) return false;
    const [, uid, step] = match as unknown as [string, string, string | undefined];
    if ((step === undefined) !== (req.method === 'GET' || req.method === 'HEAD')) {
      res.writeHead(405, { allow: step === undefined ? 'GET' : 'POST' }).end();
      return true;
    }
    let details: Details;
    try {
      details = await deps.provider().interactionDetails(req, res);
    } catch {
      page(res, 400, 'This sign-in has expired', 'It took too long or was already finished.');
      return true;
    }
    if (details.uid !== uid) {
      page(res, 400, 'This sign-in was replaced', 'A newer sign-in started in this browser. Finish that one instead.');
      return true;
    }
    if (step !== undefined) await answer(req, res, details, step);
    else if (details.prompt.name === 'login' && deps.beginUpstreamLogin)
      await deps.beginUpstreamLogin(req, res, details);
    else if (details.prompt.name === 'login') await renderLogin(req, res, details);
    else if (details.prompt.name === 'consent') await renderConsent(req, res, details);
    else page(res, 400, 'Cannot continue', `This server cannot complete the "${details.prompt.name}" step.`);
    return true;
  };
}
