//go:build kafkac_external

package kafkac

// With -tags kafkac_external the include and link flags come from the
// environment (CGO_CPPFLAGS, CGO_LDFLAGS): see build_static.go.
