-- wrk script: POST one realistic tracker event per request, as sendBeacon does.
wrk.method = "POST"
wrk.headers["Content-Type"] = "text/plain;charset=UTF-8"
wrk.headers["User-Agent"] = "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36"
wrk.headers["X-Forwarded-For"] = "81.2.69.142"
wrk.body = os.getenv("BENCH_BODY")
