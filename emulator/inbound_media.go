package emulator

// Locations and file uploads on POST /v1/channels/webhook/{channelId}/messages.
// EMULATOR EXTENSION: Chatlayer's v1 shape for them is not public
// (FIDELITY.md Q12); these names follow the user messages Chatlayer records
// (messageType location with coordinates, fileUploadInputResult with urls).
// Docs: https://docs.chatlayer.ai/integrations/human-offloading-live-chat/offloading-webhook

import (
	"net/url"
	"strings"

	"github.com/chatlayer-emulator/chatlayer-emulator/emulator/dialog"
)

// locationMessage is a shared location: {"coordinates": {"lat", "long"}}.
type locationMessage struct {
	Coordinates *struct {
		Lat  *float64 `json:"lat"`
		Long *float64 `json:"long"`
	} `json:"coordinates"`
}

// fileUploadMessage is a file upload: the URLs of the uploaded files.
type fileUploadMessage struct {
	URLs []string `json:"urls"`
}

// event checks a location: both coordinates given, in degrees.
func (l *locationMessage) event() (dialog.Event, error) {
	const ptr = "/message/locationMessage/coordinates"
	c := l.Coordinates
	if c == nil {
		return nil, badRequest(ptr, "is required")
	}
	lat, err := coordinate(ptr+"/lat", c.Lat, 90)
	if err != nil {
		return nil, err
	}
	long, err := coordinate(ptr+"/long", c.Long, 180)
	if err != nil {
		return nil, err
	}
	return dialog.Location{Lat: lat, Long: long}, nil
}

// coordinate checks one coordinate: given, and within [-limit, limit].
func coordinate(field string, v *float64, limit float64) (float64, error) {
	switch {
	case v == nil:
		return 0, badRequest(field, "is required")
	case *v < -limit || *v > limit:
		return 0, badRequest(field, "must be between %g and %g, not %g", -limit, limit, *v)
	}
	return *v, nil
}

// event checks an upload: at least one URL, each absolute http or https.
func (f *fileUploadMessage) event() (dialog.Event, error) {
	const ptr = "/message/fileUploadMessage/urls"
	if len(f.URLs) == 0 {
		return nil, badRequest(ptr, "must hold at least one URL")
	}
	for i, raw := range f.URLs {
		if !fileURL(raw) {
			return nil, badRequest(ptr+"/"+itoa(i), "must be an absolute http or https URL")
		}
	}
	return dialog.Upload{URLs: f.URLs}, nil
}

// fileURL reports whether raw is an absolute http(s) URL with a host.
func fileURL(raw string) bool {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" {
		return false
	}
	scheme := strings.ToLower(u.Scheme)
	return scheme == "http" || scheme == "https"
}
