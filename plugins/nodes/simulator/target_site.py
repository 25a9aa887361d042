"""A small, deliberately careless local web site for the simulator to scan: links, forms
with parameters, a cookie without flags, no security headers, a version banner, a 404."""
from __future__ import annotations

import html
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

LAYOUT = """<!DOCTYPE html>
<html><head><title>{title} - Demo Shop</title><script src="/static/app.js"></script></head>
<body><nav><a href="/">Home</a> <a href="/products?id=1">Products</a> <a href="/search?q=shoes">Search</a>
<a href="/contact">Contact</a> <a href="/login">Log in</a> <a href="/about">About</a></nav>
<h1>{title}</h1>{body}</body></html>"""

PAGES = {
    "/": ("Welcome", '<p>Our <a href="/products?id=2">best sellers</a>.</p>'
                     "<!-- TODO: remove the debug link to the admin page before release -->"),
    "/about": ("About us", '<p>Since 1999. See <a href="/missing-page">our history</a>.</p>'),
    "/contact": ("Contact", '<form action="/contact/send" method="get"><input name="name">'
                            '<input name="email"><textarea name="message"></textarea>'
                            '<button>Send</button></form>'),
    "/login": ("Log in", '<form action="/login" method="post"><input name="username">'
                         '<input type="password" name="password"><button>Log in</button></form>'),
}


class TargetHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "Apache/2.4.41"
    disable_nagle_algorithm = True  # headers and body are separate writes: no 40 ms ACK stall
    sys_version = "(Ubuntu)"

    def log_message(self, fmt, *args):
        pass

    def do_GET(self):
        parts = urlsplit(self.path)
        query = {k: v[0] for k, v in parse_qs(parts.query).items()}
        if parts.path == "/static/app.js":
            return self._send(200, "console.log('demo shop');", "application/javascript")
        page = self._page(parts.path, query)
        if page is None:
            return self._send(404, LAYOUT.format(title="Not found", body="<p>No such page.</p>"))
        self._send(200, LAYOUT.format(title=page[0], body=page[1]))

    def do_POST(self):
        length = int(self.headers.get("Content-Length") or 0)
        self.rfile.read(length)
        if urlsplit(self.path).path != "/login":
            return self._send(404, LAYOUT.format(title="Not found", body=""))
        self._send(200, LAYOUT.format(title="Log in", body="<p>Wrong user name or password.</p>"))

    def _page(self, path: str, query: dict):
        if path in PAGES:
            return PAGES[path]
        if path == "/search":
            return "Search", f"<p>Results for {html.escape(query.get('q', ''))}</p>"
        if path == "/products":
            item = html.escape(query.get("id", "1"))
            return f"Product {item}", f'<p>Item {item}. <a href="/products?id={item}&amp;view=full">Details</a></p>'
        if path == "/contact/send":
            return "Thank you", "<p>We will answer soon.</p>"
        return None

    def _send(self, status: int, body: str, content_type: str = "text/html; charset=UTF-8"):
        data = body.encode()
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        self.send_header("X-Powered-By", "PHP/7.4.3")
        self.send_header("Set-Cookie", "session=d41d8cd98f00b204; Path=/")
        self.end_headers()
        self.wfile.write(data)


class TargetSite:
    def __init__(self, host: str = "127.0.0.1", port: int = 0):
        self._server = ThreadingHTTPServer((host, port), TargetHandler)
        self._server.daemon_threads = True
        threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.1}, daemon=True).start()
        self.url = f"http://{host}:{self._server.server_address[1]}"

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()


def start_target_site(host: str = "127.0.0.1", port: int = 0) -> TargetSite:
    return TargetSite(host, port)
