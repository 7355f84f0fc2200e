package emulator

import (
	"time"

	"github.com/chatlayer-emulator/chatlayer-emulator/emulator/dialog"
)

// userMessage is a user message as Chatlayer records it in history and
// sends it in offloading transcripts (docs/CONTRACT.md §2.3, user items).
type userMessage struct {
	ChannelType       string     `json:"channelType"`
	Sender            userSender `json:"sender"`
	Timestamp         string     `json:"timestamp"`
	MessageType       string     `json:"messageType"`
	ID                string     `json:"id"`
	Text              string     `json:"text,omitempty"`
	Title             string     `json:"title,omitempty"`
	Payload           string     `json:"payload,omitempty"`
	NextDialogstateID string     `json:"nextDialogstateId,omitempty"`
	Parameters        []keyValue `json:"parameters,omitempty"`
	// Coordinates is the location of messageType location.
	Coordinates *coordinates `json:"coordinates,omitempty"`
	// URLs and Data are the files of messageType fileUploadInputResult.
	URLs []string    `json:"urls,omitempty"`
	Data *uploadData `json:"data,omitempty"`
}

// coordinates is a location in degrees, as Chatlayer records it.
type coordinates struct {
	Lat  float64 `json:"lat"`
	Long float64 `json:"long"`
}

// uploadData is the data of a file upload: its status and the first
// file's URL.
type uploadData struct {
	UploadStatus string `json:"uploadStatus"`
	FileURL      string `json:"fileUrl"`
}

// uploadSucceeded is the one uploadStatus the emulator records: an upload
// reaches it with its URLs, so it has succeeded.
const uploadSucceeded = "SUCCEEDED"

// userSender identifies the user inside a userMessage.
type userSender struct {
	ID                string `json:"id"`
	BotID             string `json:"botId"`
	PreferredLanguage string `json:"preferredLanguage,omitempty"`
	FirstName         string `json:"firstname,omitempty"`
}

// timeFormat is the ISO-8601 form Chatlayer uses: milliseconds and Z.
const timeFormat = "2006-01-02T15:04:05.000Z"

// userEntry builds the history entry of a user event; the caller holds
// the conversation's lock.
func (s *Server) userEntry(d *dialog.Conversation, in dialog.Input, now time.Time) historyEntry {
	m := userMessage{
		ChannelType: channelType,
		Sender:      userSender{ID: d.SessionID, BotID: d.BotID},
		Timestamp:   now.UTC().Format(timeFormat),
		ID:          s.ids.next(),
	}
	if u := in.User; u != nil {
		m.Sender.PreferredLanguage, m.Sender.FirstName = u.PreferredLanguage, u.FirstName
	}
	switch ev := in.Event.(type) {
	case dialog.Intro:
		m.MessageType = "intro"
	case dialog.Text:
		m.MessageType, m.Text = "text", ev.Text
	case dialog.Click:
		m.MessageType, m.Title, m.Payload, m.NextDialogstateID = "postback", ev.Title, ev.Payload, ev.Target
		for _, a := range ev.Set {
			m.Parameters = append(m.Parameters, keyValue{Key: a.Path, Value: a.Value})
		}
	case dialog.Location:
		m.MessageType, m.Coordinates = "location", &coordinates{Lat: ev.Lat, Long: ev.Long}
	case dialog.Upload:
		m.MessageType, m.URLs = "fileUploadInputResult", ev.URLs
		m.Data = &uploadData{UploadStatus: uploadSucceeded}
		if len(ev.URLs) > 0 {
			m.Data.FileURL = ev.URLs[0]
		}
	}
	raw, _ := marshalJSON(m)
	return historyEntry{ID: m.ID, Actor: "user", IsIntro: m.MessageType == "intro", Message: raw, CreatedAt: apiTime{now}}
}
