// Command generr writes kafkac/generated_errors.go from include/kafkac.h:
//
//	go run ./internal/cmd/generr -header ../../include/kafkac.h -out kafkac/generated_errors.go
//
// It runs through `go generate ./...` (see kafkac/error.go).
package main

import (
	"flag"
	"fmt"
	"os"

	"github.com/kafkac/kafkac-go/internal/generr"
)

func main() {
	header := flag.String("header", "../../../include/kafkac.h", "path of kafkac.h")
	out := flag.String("out", "generated_errors.go", "output file")
	flag.Parse()
	src, err := os.ReadFile(*header)
	if err != nil {
		fmt.Fprintln(os.Stderr, "generr:", err)
		os.Exit(1)
	}
	code, err := generr.Generate(src)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	if err := os.WriteFile(*out, code, 0o644); err != nil {
		fmt.Fprintln(os.Stderr, "generr:", err)
		os.Exit(1)
	}
}
