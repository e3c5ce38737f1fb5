# Sourced by the benchmark scripts: a spare loopback port, the tracker
# request the ingestion benchmarks send, and the nginx reference every
# ingestion number is a share of.

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

# event_body SITE_ID: one realistic pageview as the tracker posts it.
event_body() {
  echo "{\"websiteId\":\"$1\",\"domain\":\"bench.example\",\"type\":\"pageview\",\"href\":\"https://bench.example/pricing?utm_source=newsletter&utm_medium=email\",\"referrer\":\"https://www.google.com/\",\"screenWidth\":1440,\"language\":\"en-US\",\"visitorId\":\"0b6f2d9e-3b7a-4c55-9a3e-1f6b8c2d4e5f\",\"sessionId\":\"5c1e7a2b-8d4f-4e6a-b9c3-2a1d0f8e7b6c\"}"
}

# start_nginx DIR: nginx answering `return 204` to everything, its files in
# DIR (stop it with: kill "$(cat DIR/nginx.pid)"); sets ngx_port.
start_nginx() {
  local dir=$1
  ngx_port=$(free_port)
  mkdir -p "$dir/nginx"
  cat >"$dir/nginx.conf" <<NGINX
worker_processes auto;
pid $dir/nginx.pid;
error_log $dir/nginx/error.log;
events { worker_connections 4096; }
http {
  access_log off;
  client_body_temp_path $dir/nginx;
  proxy_temp_path $dir/nginx; fastcgi_temp_path $dir/nginx; uwsgi_temp_path $dir/nginx; scgi_temp_path $dir/nginx;
  keepalive_requests 1000000;
  server {
    listen 127.0.0.1:$ngx_port;
    location / { return 204; }
  }
}
NGINX
  nginx -c "$dir/nginx.conf" -e "$dir/nginx/error.log"
}
