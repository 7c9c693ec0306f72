/**
 * `codepairs preview`: serve the output folder on this machine (127.0.0.1) with node:http, as a
 * static host would: index.html for folders, the right content types, 404.html for a missing
 * path, and nothing outside the folder.
 */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { extname, join, resolve, sep } from 'node:path';

export const DEFAULT_PREVIEW_PORT = 8080;

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.jsonl': 'application/jsonl; charset=utf-8',
  '.xml': 'application/xml; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.md': 'text/markdown; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.wasm': 'application/wasm',
};

export const contentType = (path: string) => TYPES[extname(path).toLowerCase()] ?? 'application/octet-stream';

/**
 * The file under `root` that a URL path names, or undefined for a path that leaves the folder
 * (`..`, encoded or not), holds a NUL or a backslash, or cannot be decoded.
 */
export function fileFor(root: string, urlPath: string): string | undefined {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath.split('?')[0]!.split('#')[0]!);
  } catch {
    return undefined;
  }
  if (decoded.includes('\0') || decoded.includes('\\') || !decoded.startsWith('/')) return undefined;
  if (decoded.split('/').includes('..')) return undefined;
  const base = resolve(root);
  const path = resolve(base, `.${decoded}`);
  if (path !== base && !path.startsWith(base + sep)) return undefined;
  return decoded.endsWith('/') ? join(path, 'index.html') : path;
}

const isFile = (path: string) => stat(path).then((s) => (s.isFile() ? s : s.isDirectory() ? 'dir' : undefined), () => undefined);

export function createPreviewServer(root: string): Server {
  return createServer(async (request, response) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      response.writeHead(405, { Allow: 'GET, HEAD' }).end();
      return;
    }
    const url = request.url ?? '/';
    const path = fileFor(root, url);
    const found = path ? await isFile(path) : undefined;
    if (found === 'dir') {
      // A folder without its trailing slash: send the reader to it, so relative links resolve.
      const [pathname, query] = url.split('?');
      response.writeHead(301, { Location: `${pathname}/${query === undefined ? '' : `?${query}`}` }).end();
      return;
    }
    if (path && found) {
      response.writeHead(200, { 'Content-Type': contentType(path), 'Content-Length': found.size });
      if (request.method === 'HEAD') response.end();
      else createReadStream(path).pipe(response);
      return;
    }
    const notFound = join(resolve(root), '404.html');
    const page = path === undefined ? undefined : await isFile(notFound);
    if (page && page !== 'dir') {
      response.writeHead(404, { 'Content-Type': contentType(notFound), 'Content-Length': page.size });
      if (request.method === 'HEAD') response.end();
      else createReadStream(notFound).pipe(response);
      return;
    }
    const status = path === undefined ? 400 : 404;
    response.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8' }).end(status === 400 ? 'Bad request\n' : 'Not found\n');
  });
}

/**
 * Listen on 127.0.0.1:`port`; when the port is taken and `fallback` is set, on any free port.
 * Resolves with the port listened on.
 */
export function listen(server: Server, port: number, fallback: boolean): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const onError = (error: NodeJS.ErrnoException) => {
      if (error.code === 'EADDRINUSE' && fallback && port !== 0) {
        server.off('error', onError);
        listen(server, 0, false).then(resolvePort, reject);
      } else reject(error);
    };
    server.once('error', onError);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', onError);
      const address = server.address();
      resolvePort(typeof address === 'object' && address ? address.port : port);
    });
  });
}
