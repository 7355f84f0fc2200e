package emulator

import (
	"errors"
	"fmt"
	"net/http"
)

// Fixed error texts, in one place.
const (
	msgBadJSON          = "request body is not valid JSON"
	msgContentType      = "Content-Type must be application/json"
	msgTooLarge         = "request body is larger than %d bytes"
	msgMissingToken     = "missing or malformed Authorization header: expected \"Bearer <token>\""
	msgBadToken         = "invalid access token"
	msgBareToken        = "the Authorization header holds an access token without a scheme: send \"Bearer <token>\", as Chatlayer requires, or start the emulator with --allow-bare-token (Config.AllowBareToken)"
	msgBadVerifyToken   = "invalid verifyToken"
	msgUnknownChannel   = "unknown webhook channel %q"
	msgUnknownBot       = "unknown bot %q"
	msgNotFound         = "no route for %s %s"
	msgMethodNotAllowed = "method %s is not allowed on %s"
	msgAdminToken       = "missing or invalid admin token"
	msgInternal         = "internal emulator error: please report it"
	msgOneMessageKind   = "exactly one of textMessage, postbackMessage, introMessage, locationMessage and fileUploadMessage is required"
)

// Error is the one error type of the emulator's HTTP API. It is rendered in
// Chatlayer's error shape by writeError, the only place that maps errors to
// HTTP responses:
//
//	{"statusCode": 400, "error": "Bad Request", "message": "...", "field": "/message"}
//
// Field, when set, is a JSON pointer into the request body, or the name of the
// query or path parameter at fault.
type Error struct {
	Status  int    `json:"statusCode"`
	Reason  string `json:"error"`
	Message string `json:"message"`
	Field   string `json:"field,omitempty"`
}

// Error implements the error interface.
func (e *Error) Error() string {
	if e.Field != "" {
		return fmt.Sprintf("%d %s: %s: %s", e.Status, e.Reason, e.Field, e.Message)
	}
	return fmt.Sprintf("%d %s: %s", e.Status, e.Reason, e.Message)
}

// newError builds an Error with the standard reason phrase of status.
func newError(status int, field, format string, args ...any) *Error {
	return &Error{
		Status:  status,
		Reason:  http.StatusText(status),
		Message: fmt.Sprintf(format, args...),
		Field:   field,
	}
}

// badRequest is a 400 naming the field at fault.
func badRequest(field, format string, args ...any) *Error {
	return newError(http.StatusBadRequest, field, format, args...)
}

// asError turns any error into an *Error; unknown errors are a 500, which
// only an emulator bug can produce.
func asError(err error) *Error {
	var e *Error
	if errors.As(err, &e) {
		return e
	}
	return newError(http.StatusInternalServerError, "", msgInternal)
}
