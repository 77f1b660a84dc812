package kafkac

// The error-code constants are generated from include/kafkac.h's KC_ERRORS
// list; TestGeneratedErrorsCurrent fails when they are stale.
//go:generate go run ../internal/cmd/generr -header ../../../include/kafkac.h -out generated_errors.go
