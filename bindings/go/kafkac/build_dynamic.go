//go:build dynamic && !kafkac_external

package kafkac

// With -tags dynamic the package links the installed library
// (`make install`: libkafkac.so and kafkac.pc) through pkg-config.

/*
#cgo pkg-config: kafkac
*/
import "C"
