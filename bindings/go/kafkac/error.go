package kafkac

/*
#include "kcgo.h"
*/
import "C"

import (
	"fmt"
	"sort"
)

// ErrorCode is a kafkac error code: a Kafka protocol error code (>= -1) or
// a local one (<= -100, librdkafka's numbers). The constants (ErrTimedOut,
// ErrPartitionEOF, ErrUnknownTopicOrPart, ...) are generated from
// include/kafkac.h.
type ErrorCode int

type errorInfo struct {
	code      ErrorCode
	name      string
	desc      string
	retriable bool
}

func lookupError(c ErrorCode) *errorInfo {
	i := sort.Search(len(errorInfos), func(i int) bool { return errorInfos[i].code >= c })
	if i < len(errorInfos) && errorInfos[i].code == c {
		return &errorInfos[i]
	}
	return nil
}

// String returns the code's description ("Local: timed out"), as
// confluent-kafka-go's ErrorCode.String does.
func (c ErrorCode) String() string {
	if e := lookupError(c); e != nil {
		return e.desc
	}
	return C.GoString(C.kc_err_desc(C.kc_err_t(c)))
}

// Name returns kafkac's name of the code ("_TIMED_OUT",
// "NOT_LEADER_OR_FOLLOWER"), as kc_err_name() does.
func (c ErrorCode) Name() string {
	if e := lookupError(c); e != nil {
		return e.name
	}
	return C.GoString(C.kc_err_name(C.kc_err_t(c)))
}

// IsRetriable reports whether retrying an operation that failed with this
// code may succeed.
func (c ErrorCode) IsRetriable() bool {
	if e := lookupError(c); e != nil {
		return e.retriable
	}
	return false
}

// Error is the error type of the package: a code, a message naming what
// failed (the configuration key, topic or broker) and flags.
type Error struct {
	code             ErrorCode
	str              string
	fatal            bool
	retriable        bool
	txnRequiresAbort bool
}

// NewError returns an Error with the given code and message; the message
// defaults to the code's description.
func NewError(code ErrorCode, str string, fatal bool) Error {
	return Error{code: code, str: str, fatal: fatal, retriable: code.IsRetriable()}
}

func newError(code C.kc_err_t) Error {
	return NewError(ErrorCode(code), "", false)
}

func newErrorStr(code C.kc_err_t, str string) Error {
	return NewError(ErrorCode(code), str, false)
}

// newErrorBuf builds an Error from a code and a C errstr buffer.
func newErrorBuf(code C.kc_err_t, buf []C.char) Error {
	return newErrorStr(code, C.GoString(&buf[0]))
}

// Error returns the message (the code's description when there is none).
func (e Error) Error() string {
	if e.str != "" {
		return e.str
	}
	return e.code.String()
}

// String returns the same as Error.
func (e Error) String() string { return e.Error() }

// Code returns the error code.
func (e Error) Code() ErrorCode { return e.code }

// IsFatal reports a fatal error: the client can no longer be used (for
// example an idempotent producer that lost its sequence).
func (e Error) IsFatal() bool { return e.fatal }

// IsRetriable reports whether retrying the failed operation may succeed.
func (e Error) IsRetriable() bool { return e.retriable }

// IsTimeout reports whether the error is a timeout.
func (e Error) IsTimeout() bool {
	return e.code == ErrTimedOut || e.code == ErrTimedOutQueue || e.code == ErrMsgTimedOut ||
		e.code == ErrRequestTimedOut
}

// TxnRequiresAbort reports whether the current transaction must be aborted
// (always false: kafkac has no transactions yet).
func (e Error) TxnRequiresAbort() bool { return e.txnRequiresAbort }

// Is reports whether target is an Error with the same code, so that
// errors.Is(err, kafkac.NewError(kafkac.ErrTimedOut, "", false)) works.
func (e Error) Is(target error) bool {
	t, ok := target.(Error)
	return ok && t.code == e.code
}

func errorf(code ErrorCode, format string, args ...interface{}) Error {
	return NewError(code, fmt.Sprintf(format, args...), false)
}

// The C library's view of a code, for the tests that check the generated
// table against the linked library.
func kcErrName(c ErrorCode) string    { return C.GoString(C.kc_err_name(C.kc_err_t(c))) }
func kcErrDesc(c ErrorCode) string    { return C.GoString(C.kc_err_desc(C.kc_err_t(c))) }
func kcErrRetriable(c ErrorCode) bool { return C.kc_err_is_retriable(C.kc_err_t(c)) != 0 }
