package scenarios

import (
	"errors"
	"strings"
	"testing"
	"time"
)

func TestOffloadingSection(t *testing.T) {
	b, err := Parse("test.yaml", []byte(`
bot: {id: shop}
offloading:
  url: http://bridge:9100/offloading
  verifyToken: s3cret
  status: hours
  dialect: "2020"
  hours:
    timezone: Europe/Brussels
    schedule:
      - {days: [mon, tue, wed, thu, fri], from: "09:00", to: "17:00"}
      - {days: [sat], from: "10:00", to: "24:00"}
blocks: []
`))
	if err != nil {
		t.Fatal(err)
	}
	o := b.Offloading
	if o.URL != "http://bridge:9100/offloading" || o.VerifyToken != "s3cret" || o.Status != OffloadingHours || o.Dialect != Dialect2020 {
		t.Fatalf("offloading = %+v", o)
	}
	cases := []struct {
		at   string // UTC
		open bool
	}{
		{"2026-03-02T07:59:00Z", false}, // Monday 08:59 in Brussels (UTC+1)
		{"2026-03-02T08:00:00Z", true},  // Monday 09:00
		{"2026-03-02T15:59:00Z", true},  // Monday 16:59
		{"2026-03-02T16:00:00Z", false}, // Monday 17:00: the range ends
		{"2026-03-07T22:59:00Z", true},  // Saturday 23:59
		{"2026-03-08T10:00:00Z", false}, // Sunday
	}
	for _, tc := range cases {
		at, _ := time.Parse(time.RFC3339, tc.at)
		if got := o.Hours.Open(at); got != tc.open {
			t.Errorf("Open(%s) = %v, want %v", tc.at, got, tc.open)
		}
	}
}

func TestOffloadingDefaults(t *testing.T) {
	b, err := Parse("test.yaml", []byte("bot: {id: plain}\nblocks: []\n"))
	if err != nil {
		t.Fatal(err)
	}
	if o := b.Offloading; o.URL != "" || o.Status != OffloadingOpen || o.Dialect != DialectCurrent || o.Hours != nil {
		t.Errorf("default offloading = %+v", o)
	}
}

func TestOffloadingErrorsHaveLines(t *testing.T) {
	cases := []struct {
		name, src string
		want      []wantErr
	}{
		{"unknown status", `
bot: {id: x}
offloading:
  status: sometimes
blocks: []
`, []wantErr{{4, 3, "/offloading/status", "value must be one of"}}},
		{"hours without schedule", `
bot: {id: x}
offloading:
  url: http://bridge/
  status: hours
blocks: []
`, []wantErr{{3, 1, "/offloading", "missing properties: 'hours'"}}},
		{"bad time and zone", `
bot: {id: x}
offloading:
  url: http://bridge/
  hours:
    timezone: Mars/Olympus
    schedule:
      - {days: [mon], from: "17:00", to: "09:00"}
blocks: []
`, []wantErr{
			{6, 5, "/offloading/hours/timezone", `unknown time zone "Mars/Olympus"`},
			{8, 38, "/offloading/hours/schedule/0/to", "must come after from (17:00)"},
		}},
		{"not a URL", `
bot: {id: x}
offloading:
  url: bridge:9100
blocks: []
`, []wantErr{{4, 3, "/offloading/url", "must be an absolute http or https URL"}}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Parse("off.yaml", []byte(tc.src))
			var errs Errors
			if !errors.As(err, &errs) {
				t.Fatalf("want Errors, got %v", err)
			}
			if len(errs) != len(tc.want) {
				t.Fatalf("got %d problems, want %d:\n%v", len(errs), len(tc.want), err)
			}
			for i, w := range tc.want {
				e := errs[i]
				if e.Line != w.line || e.Column != w.col || e.Field != w.field || !strings.Contains(e.Message, w.msg) {
					t.Errorf("problem %d = %d:%d %s %q; want %d:%d %s containing %q", i, e.Line, e.Column, e.Field, e.Message, w.line, w.col, w.field, w.msg)
				}
			}
		})
	}
}
