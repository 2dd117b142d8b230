// Every page reads the public HTTP API through this module, with the virtual key the operator
// signed in with (kept in sessionStorage, so it ends with the tab) as the bearer token.

const KEY = 'ballast.key';
const ROLE = 'ballast.role';
const TENANT = 'ballast.tenant';

export const session = {
  key: () => sessionStorage.getItem(KEY),
  role: () => sessionStorage.getItem(ROLE),
  tenant: () => sessionStorage.getItem(TENANT),
  // The one place the console asks whether the caller may look across tenants; the server
  // decides what it answers (GET /v1/ballast/whoami).
  isAdmin: () => sessionStorage.getItem(ROLE) === 'admin',
  save(key, who) {
    sessionStorage.setItem(KEY, key);
    sessionStorage.setItem(ROLE, who.role);
    sessionStorage.setItem(TENANT, who.tenant);
  },
  clear() {
    [KEY, ROLE, TENANT].forEach(k => sessionStorage.removeItem(k));
  },
};

/** An API error in words: the status, and the gateway's own message. */
export class ApiError extends Error {
  constructor(status, code, message, param) {
    super(message);
    this.status = status;
    this.code = code;
    this.param = param;
  }
  get words() {
    const what = this.status ? `The gateway answered ${this.status}` : 'The gateway could not be reached';
    return `${what}: ${this.message}`;
  }
}

export async function api(path, { method = 'GET', body, key } = {}) {
  const headers = { Accept: 'application/json' };
  const bearer = key ?? session.key();
  if (bearer) headers.Authorization = `Bearer ${bearer}`;
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  let response;
  try {
    response = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  } catch (e) {
    throw new ApiError(0, 'network', `${e.message}. Is the node still running?`);
  }
  const text = await response.text();
  let json = null;
  try { json = text ? JSON.parse(text) : null; } catch { /* not JSON: reported below */ }
  if (!response.ok) {
    const err = json && json.error;
    throw new ApiError(response.status, err?.code ?? 'http_' + response.status,
      err?.message ?? (text || response.statusText), err?.param);
  }
  if (json === null) throw new ApiError(response.status, 'not_json', 'the answer was not JSON');
  return json;
}

export const q = params => {
  const s = new URLSearchParams();
  Object.entries(params).forEach(([k, v]) => { if (v !== undefined && v !== null && v !== '') s.set(k, v); });
  const text = s.toString();
  return text ? '?' + text : '';
};

export const runPath = id => '/v1/ballast/runs/' + id.split('/').map(encodeURIComponent).join('/');
