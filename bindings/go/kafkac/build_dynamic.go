//go:build dynamic

package kafkac

// With -tags dynamic the package links the installed library
// (`make install`: libkafkac.so and kafkac.pc) through pkg-config.

/*
#cgo pkg-config: kafkac
#cgo CFLAGS: -O2
*/
import "C"
