// Routing primitives: what a handler sees of a request and returns as a
// reply, and matching a request path against the route table.
import { badParameter } from '../../protocol/errors.js';

export interface Request {
  params: string[];
  query: Record<string, string>;
  /** The body as UTF-8 text, read (and size-limited) on first call. */
  body(): Promise<string>;
  contentType: string | undefined;
}

export interface Reply {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export type Handler = (r: Request) => Promise<Reply>;

export interface Route {
  /** Path segments below the base path; ":name" segments are parameters. */
  path: string[];
  /** The query parameters the route accepts; none when absent. */
  query?: string[];
  methods: Record<string, Handler>;
}

export const ok = (body: unknown): Reply => ({ status: 200, body });
export const noContent: Reply = { status: 204 };

/** A route from "tokens/:name" notation. */
export function route(path: string, methods: Record<string, Handler>, query?: string[]): Route {
  return { path: path.split('/'), methods, ...(query ? { query } : {}) };
}

/** The first route whose path fits `segments`, with its percent-decoded parameters. */
export function matchRoute(table: Route[], segments: string[]): { route: Route; params: string[] } | undefined {
  for (const route of table) {
    if (route.path.length !== segments.length) continue;
    const params: string[] = [];
    const fits = route.path.every((p, i) => {
      const seg = segments[i] ?? '';
      if (!p.startsWith(':')) return p === seg;
      if (seg === '') return false;
      try {
        params.push(decodeURIComponent(seg));
      } catch {
        throw badParameter('malformed percent-encoding in the request path');
      }
      return true;
    });
    if (fits) return { route, params };
  }
  return undefined;
}

/** The i-th path parameter; a route table bug if missing. */
export function param(r: Request, i: number): string {
  const value = r.params[i];
  if (value === undefined) throw new Error(`route has no parameter ${i}`);
  return value;
}
