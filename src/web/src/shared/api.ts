// The one place the app talks to the server. Cookie session + the CSRF header the server asks of
// browser writes; every error arrives as RFC 9457 Problem Details and is thrown as ApiError.
import i18n from './i18n';

export interface ProblemDetails {
  type?: string;
  title?: string;
  status?: number;
  detail?: string;
  code?: string;
  errors?: Record<string, string[]>;
  [key: string]: unknown;
}

export class ApiError extends Error {
  readonly status: number;
  readonly problem: ProblemDetails;
  constructor(status: number, problem: ProblemDetails) {
    super(problem.detail || problem.title || `HTTP ${status}`);
    this.status = status;
    this.problem = problem;
  }
}

const CSRF_HEADER = 'X-Deliberate-Csrf';

async function request<T>(
  method: string,
  url: string,
  body?: unknown,
  extraHeaders: Record<string, string> = {},
): Promise<T> {
  const headers: Record<string, string> = { 'Accept-Language': i18n.language || 'zh-CN', ...extraHeaders };
  let payload: BodyInit | undefined;
  if (body instanceof FormData) payload = body;
  else if (body !== undefined) {
    headers['Content-Type'] = 'application/json';
    payload = JSON.stringify(body);
  }
  if (method !== 'GET') headers[CSRF_HEADER] = '1';
  const response = await fetch(url, { method, headers, body: payload, credentials: 'same-origin' });
  if (!response.ok) {
    let problem: ProblemDetails = { status: response.status, title: response.statusText };
    try {
      problem = await response.json();
    } catch {
      /* a body that is not JSON keeps the status line */
    }
    throw new ApiError(response.status, problem);
  }
  if (response.status === 204) return undefined as T;
  const type = response.headers.get('Content-Type') || '';
  // A document the server made (a PDF of letters) stays bytes; text would mangle it.
  if (/^application\/(pdf|octet-stream)|spreadsheetml/.test(type)) return (await response.blob()) as T;
  return (type.includes('json') ? await response.json() : await response.text()) as T;
}

export const api = {
  get: <T>(url: string) => request<T>('GET', url),
  post: <T>(url: string, body?: unknown) => request<T>('POST', url, body ?? {}),
  put: <T>(url: string, body?: unknown) => request<T>('PUT', url, body ?? {}),
  delete: <T>(url: string) => request<T>('DELETE', url),
  upload: <T>(url: string, form: FormData) => request<T>('POST', url, form),
  /**
   * Creates something once however often it is delivered: the server keeps the Idempotency-Key with what it
   * created and answers a repeat with it. So a request whose answer was lost to the network is sent again.
   */
  create: async <T>(url: string, body: unknown, requestKey: string): Promise<T> => {
    for (let attempt = 1; ; attempt++) {
      try {
        return await request<T>('POST', url, body, { 'Idempotency-Key': requestKey });
      } catch (e) {
        if (!(e instanceof TypeError) || attempt === 3) throw e; // fetch throws TypeError when the network failed
        await new Promise((r) => setTimeout(r, 500 * attempt));
      }
    }
  },
};

/** A fresh key for one thing the user means to create (crypto.randomUUID needs HTTPS; this works on plain HTTP too). */
export function newRequestKey(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

/** A readable message for any error thrown by the client, with field errors listed. */
export function problemMessage(error: unknown): string {
  if (error instanceof ApiError) {
    const fields = error.problem.errors ? Object.values(error.problem.errors).flat() : [];
    return [error.message, ...fields].filter(Boolean).join(' ');
  }
  return error instanceof Error ? error.message : String(error);
}
