/* ApiVersions negotiation (KIP-35, KIP-511). */
#include <stdio.h>
#include <string.h>

#include "conn.h"
#include "core/conf.h"
#include "core/err.h"
#include "proto/gen/api_versions.h"
#include "proto/gen/apis.h"

kc_err_t kc__conn_negotiate(kc__conn *c, const kc_conf_t *conf, int64_t deadline_ms,
                            char *errstr, size_t errsize) {
    int16_t ver = KC__API_VERSIONS_MAX_VERSION;
    for (int attempt = 0; attempt < 2; attempt++) {
        kc__ApiVersionsRequest req;
        kc__ApiVersionsRequest_init(&req);
        req.client_software_name = kc__str_c(kc__conf_str(conf, KC__CONF_CLIENT_SOFTWARE_NAME));
        req.client_software_version =
            kc__str_c(kc__conf_str(conf, KC__CONF_CLIENT_SOFTWARE_VERSION));
        kc__buf body;
        kc__buf_init(&body, 64);
        if (kc__ApiVersionsRequest_encode(&body, ver, &req)) {
            kc__buf_free(&body);
            return kc__seterr(errstr, errsize, KC_ERR__FAIL,
                              "%s: failed to encode ApiVersionsRequest v%d", c->name, ver);
        }
        kc__rd rd;
        kc_err_t err = kc__conn_call(c, KC__API_API_VERSIONS, ver, &body, &rd, deadline_ms,
                                     errstr, errsize);
        kc__buf_free(&body);
        if (err) return err;

        kc__arena arena;
        kc__arena_init(&arena, 4096);
        kc__ApiVersionsResponse resp;
        /* A broker that does not support `ver` answers with a v0 body. */
        int rc = kc__ApiVersionsResponse_decode(&rd, &arena, ver, &resp);
        if (rc && ver > 0) {
            kc__rd_init(&rd, c->rbuf.p, c->rbuf.len);
            (void)kc__r_i32(&rd); /* correlation id */
            kc__arena_destroy(&arena);
            kc__arena_init(&arena, 4096);
            rc = kc__ApiVersionsResponse_decode(&rd, &arena, 0, &resp);
        }
        if (rc) {
            kc__arena_destroy(&arena);
            return kc__seterr(errstr, errsize, KC_ERR__BAD_MSG,
                              "%s: malformed ApiVersionsResponse: %s", c->name,
                              kc__rd_strerror(rc));
        }
        if (resp.error_code && resp.error_code != KC_ERR_UNSUPPORTED_VERSION) {
            kc__arena_destroy(&arena);
            return kc__seterr(errstr, errsize, (kc_err_t)resp.error_code,
                              "%s: ApiVersions failed: %s", c->name,
                              kc_err_desc((kc_err_t)resp.error_code));
        }
        for (int i = 0; i < KC__API_KEY_MAX; i++) c->ver_min[i] = c->ver_max[i] = -1;
        for (int32_t i = 0; i < resp.api_keys.n; i++) {
            int16_t k = resp.api_keys.items[i].api_key;
            if (k < 0 || k >= KC__API_KEY_MAX) continue;
            c->ver_min[k] = resp.api_keys.items[i].min_version;
            c->ver_max[k] = resp.api_keys.items[i].max_version;
        }
        int16_t err_code = resp.error_code;
        kc__arena_destroy(&arena);
        c->versions_known = true;
        if (err_code == 0) return KC_ERR_NO_ERROR;
        /* UNSUPPORTED_VERSION: retry once with the highest version the broker has. */
        int16_t theirs = c->ver_max[KC__API_API_VERSIONS];
        if (theirs < 0 || theirs >= ver)
            return kc__seterr(errstr, errsize, KC_ERR_UNSUPPORTED_VERSION,
                              "%s: broker refused ApiVersions v%d", c->name, ver);
        ver = theirs;
    }
    return kc__seterr(errstr, errsize, KC_ERR_UNSUPPORTED_VERSION,
                      "%s: ApiVersions negotiation failed", c->name);
}
