//go:build !dynamic

package kafkac

// By default the package links this source tree's static library,
// ../../../build/libkafkac.a (`make lib` at the top of the tree), and the
// system libraries it needs (the full-featured ./configure defaults).
// Build with -tags dynamic to link an installed libkafkac through
// pkg-config instead (see build_dynamic.go).

/*
#cgo CFLAGS: -I${SRCDIR}/../../../include -O2
#cgo LDFLAGS: ${SRCDIR}/../../../build/libkafkac.a -lssl -lcrypto -lz -lzstd -llz4 -lsnappy -lsasl2 -lpthread -lm
*/
import "C"
