//go:build !dynamic && !kafkac_external

package kafkac

// By default the package links this source tree's static library,
// ../../../build/libkafkac.a (`make lib` at the top of the tree), and the
// system libraries it needs with ./configure's defaults (every feature on).
//
// Other ways to link:
//   - -tags dynamic: the installed library (`make install`: libkafkac.so
//     and kafkac.pc) through pkg-config (build_dynamic.go).
//   - -tags kafkac_external: no flags here; give them in the environment,
//     e.g. CGO_CPPFLAGS=-I/path/include
//     CGO_LDFLAGS="/path/build/libkafkac.a $(pkg-config --libs --static kafkac)"
//     (bindings/go/run-tests does this for its $BUILD directory).

/*
#cgo CFLAGS: -I${SRCDIR}/../../../include
#cgo LDFLAGS: ${SRCDIR}/../../../build/libkafkac.a -lssl -lcrypto -lz -lzstd -llz4 -lsnappy -lsasl2 -lpthread -lm
*/
import "C"
