vcl 4.1;
# Varnish in front of Marquee's gunicorn (Debian's varnish package, 7.1):
#
#   varnishd -a :80 -f /path/to/marquee/delivery/varnish/marquee.vcl -s malloc,256m
#
# gunicorn is expected on 127.0.0.1:8000 (change .port below to move it).

import std;

backend app {
    .host = "127.0.0.1";
    .port = "8000";
    .connect_timeout = 1s;
    .first_byte_timeout = 30s;
    .probe = {
        .url = "/healthz";
        .interval = 1s;
        .timeout = 1s;
        .window = 3;
        .threshold = 2;
        .initial = 2;
    }
}

# Only the app itself may purge (Wagtail's frontend cache, FRONTEND_CACHE_PURGE_URL).
acl purgers {
    "127.0.0.1";
    "::1";
}

sub vcl_recv {
    if (req.method == "PURGE") {
        if (!client.ip ~ purgers) {
            return (synth(405, "Purging is not allowed from here"));
        }
        # A path stands for every query string of it; "/*" for the whole host.
        if (req.url == "/*") {
            ban("obj.http.x-host == " + req.http.host);
        } else {
            ban("obj.http.x-host == " + req.http.host + " && obj.http.x-path == " + regsub(req.url, "\?.*$", ""));
        }
        return (synth(200, "Purged"));
    }
    if (req.method == "BAN") {
        return (synth(405, "Not allowed"));
    }
    if (req.method != "GET" && req.method != "HEAD") {
        return (pass);
    }
    # Per-reader endpoints, the admin and search (which counts every query) go straight to the app.
    if (req.url ~ "^/(admin|ratings|comments|go|search|api|documents|healthz)(/|\?|$)") {
        return (pass);
    }
    # Signed-in editors and readers with a pending message see their own pages.
    if (req.http.Authorization || req.http.Cookie ~ "(^|;\s*)(sessionid|messages)=") {
        return (pass);
    }
    # Everyone else gets the shared page: no cookie reaches the app.
    unset req.http.Cookie;

    # Only the query parameters pages use survive (a page number of up to five
    # digits, a comments page): tracking tags and junk neither bypass the cache
    # nor fill it.
    if (req.url ~ "\?") {
        set req.url = regsuball(req.url, "([?&])(?!(?:page|comments)=[0-9]{1,5}(?:&|$))[^&]*", "\1");
        set req.url = regsuball(req.url, "&{2,}", "&");
        set req.url = regsub(req.url, "\?&+", "?");
        set req.url = regsub(req.url, "[?&]+$", "");
        set req.url = std.querysort(req.url);
    }
    # Stale pages are served while a fresh one is fetched only briefly when the
    # app is healthy; for as long as they are kept when it is not.
    if (std.healthy(req.backend_hint)) {
        set req.grace = 10s;
    }
    return (hash);
}

sub vcl_backend_response {
    # What PURGE bans match on (the lurker tests objects, not requests).
    set beresp.http.x-host = bereq.http.host;
    set beresp.http.x-path = regsub(bereq.url, "\?.*$", "");
    # A response that sets a cookie, or that the app marked private, is never
    # stored; the next request asks the app again (no hit-for-pass lingering).
    if (beresp.http.Set-Cookie || beresp.http.Cache-Control ~ "(?i)private|no-store|no-cache" || !beresp.http.Cache-Control) {
        set beresp.uncacheable = true;
        set beresp.ttl = 0s;
        return (deliver);
    }
    # Kept past its s-maxage so it can be served while the app is down (stale-if-error).
    set beresp.grace = 24h;
    return (deliver);
}

sub vcl_deliver {
    unset resp.http.x-host;
    unset resp.http.x-path;
    unset resp.http.Via;
    if (obj.hits > 0) {
        set resp.http.X-Cache = "hit";
    } else {
        set resp.http.X-Cache = "miss";
    }
}
