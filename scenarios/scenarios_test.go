package scenarios

import (
	"io/fs"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/chatlayer-emulator/chatlayer-emulator/emulator/dialog"
)

// parseEmbedded parses a shipped scenario file.
func parseEmbedded(t testing.TB, name string) *Bot {
	t.Helper()
	data, err := fs.ReadFile(Embedded(), name)
	if err != nil {
		t.Fatal(err)
	}
	b, err := Parse(name, data)
	if err != nil {
		t.Fatalf("Parse(%s):\n%v", name, err)
	}
	return b
}

func TestShippedScenarios(t *testing.T) {
	names, _ := fs.Glob(Embedded(), "examples/*.yaml")
	names = append(names, demoFile)
	if len(names) < 2 {
		t.Fatalf("shipped scenarios = %v, want demo and examples", names)
	}
	for _, name := range names {
		t.Run(name, func(t *testing.T) {
			b := parseEmbedded(t, name)
			if got := unreachable(b.Script); len(got) > 0 {
				t.Errorf("unreachable blocks: %v", got)
			}
			for _, id := range DefaultBlockIDs() {
				if b.Script.Blocks[id] == nil {
					t.Errorf("default block %q missing", id)
				}
			}
			if b.Source != name {
				t.Errorf("Source = %q, want %q", b.Source, name)
			}
		})
	}
}

func TestDemoSettings(t *testing.T) {
	b := Demo()
	if b != Demo() {
		t.Error("Demo() parses more than once")
	}
	s := b.Script
	if s.BotID != "demo" || s.Name != "Demo bot" || !slices.Equal(s.Languages, []string{"en"}) {
		t.Errorf("bot = %q %q %v", s.BotID, s.Name, s.Languages)
	}
	want := []Channel{{ID: "demo", URL: "", VerifyToken: "demo-verify", Version: VersionDraft}}
	if !slices.Equal(b.Channels, want) {
		t.Errorf("Channels = %+v, want %+v", b.Channels, want)
	}
	if !slices.Equal(b.AccessTokens, []string{"demo-token"}) {
		t.Errorf("AccessTokens = %v", b.AccessTokens)
	}
	if s.IntentThreshold != 0.8 || s.EntityThreshold != 0.7 {
		t.Errorf("thresholds = %v %v", s.IntentThreshold, s.EntityThreshold)
	}
	cfg, _ := s.Variables["config"].(map[string]any)
	if cfg["pluginUrl"] != "http://127.0.0.1:9001/plugin" {
		t.Errorf("Variables = %v", s.Variables)
	}
}

func TestDemoSendsEveryMessageKind(t *testing.T) {
	s := Demo().Script
	seen := map[dialog.TemplateKind]bool{}
	buttons := map[dialog.ButtonKind]bool{}
	for _, b := range s.Blocks {
		for _, m := range templatesOf(b) {
			seen[m.Kind] = true
			for _, btn := range buttonsOf([]dialog.Template{m}) {
				buttons[btn.Kind] = true
			}
			checkTemplate(t, b.ID, m)
		}
	}
	for _, k := range []dialog.TemplateKind{dialog.TmplText, dialog.TmplQuickReplies, dialog.TmplButtons,
		dialog.TmplCarousel, dialog.TmplList, dialog.TmplImage, dialog.TmplVideo, dialog.TmplEvent} {
		if !seen[k] {
			t.Errorf("no %s message in the demo", k)
		}
	}
	for _, k := range []dialog.ButtonKind{dialog.ButtonPostback, dialog.ButtonURL, dialog.ButtonPhone, dialog.ButtonLocation} {
		if !buttons[k] {
			t.Errorf("no %s button in the demo", k)
		}
	}
}

// checkTemplate checks what the engine relies on for each kind.
func checkTemplate(t *testing.T, block string, m dialog.Template) {
	t.Helper()
	switch m.Kind {
	case dialog.TmplCarousel:
		if len(m.Cards) != 2 {
			t.Errorf("%s: carousel has %d cards, want 2", block, len(m.Cards))
		}
	case dialog.TmplList:
		if len(m.Cards) < 2 || len(m.Cards) > 4 {
			t.Errorf("%s: list has %d elements, want 2 to 4", block, len(m.Cards))
		}
	case dialog.TmplEvent:
		if len(m.Event) == 0 {
			t.Errorf("%s: event without payload", block)
		}
	case dialog.TmplImage, dialog.TmplVideo:
		if m.URL == "" {
			t.Errorf("%s: %s without URL", block, m.Kind)
		}
	}
}

func TestDemoFlows(t *testing.T) {
	s := Demo().Script
	intro := s.Blocks[dialog.BlockIntroduction]
	var titles []string
	for _, r := range intro.Messages[len(intro.Messages)-1].Replies {
		titles = append(titles, r.Title)
	}
	wantTitles := []string{"Show me everything", "FAQ", "Sign up", "Check my order", "Talk to a human"}
	if !slices.Equal(titles, wantTitles) {
		t.Errorf("introduction quick replies = %q, want %q", titles, wantTitles)
	}
	if !strings.HasPrefix(intro.Messages[0].Text, "Hi! I'm the Chatlayer emulator demo bot.") {
		t.Errorf("greeting = %q", intro.Messages[0].Text)
	}
	var in []string
	for _, e := range incoming(s, "order-api") {
		in = append(in, e.from+": "+e.via)
	}
	slices.Sort(in)
	if want := []string{dialog.BlockIntroduction + ": postback Check my order", "order-api-failed: postback Try again"}; !slices.Equal(in, want) {
		t.Errorf("order-api is reached through %q, want %q: the intro's quick reply and the retry after a failure", in, want)
	}
	for _, it := range s.Intents {
		if it.Block == "order-api" {
			t.Errorf("intent %s leads to order-api", it.Name)
		}
	}
}

func TestDemoIntents(t *testing.T) {
	s := Demo().Script
	faq := 0
	for _, in := range s.Intents {
		if strings.HasPrefix(in.Name, "faq.") {
			faq++
			if n := len(in.Expressions["en"]); n < 3 {
				t.Errorf("intent %s has %d expressions, want several", in.Name, n)
			}
		}
		if in.Name == "human" {
			if in.Block != "human-handover" || !slices.Contains(in.Expressions["en"], "I want to talk to a human") {
				t.Errorf("human intent = %+v", in)
			}
		}
	}
	if faq < 3 {
		t.Errorf("%d FAQ intents, want at least 3", faq)
	}
}

func TestDemoSignupAndPlugin(t *testing.T) {
	s := Demo().Script
	email := s.Blocks["signup-email"].Collect
	if email.Validation != dialog.ValidateEmail || email.Variable != "signup.email" || len(email.Invalid) == 0 {
		t.Errorf("signup-email = %+v", email)
	}
	if age := s.Blocks["signup-age"].Collect; age.Validation != dialog.ValidateNumber {
		t.Errorf("signup-age validates %q", age.Validation)
	}
	if loc := s.Blocks["tour-next"].Collect; loc.Validation != dialog.ValidateLocation || loc.Variable != "tour.location" {
		t.Errorf("tour-next = %+v", loc)
	}
	check := s.Blocks["signup-check"]
	if r := check.Rules[0]; r.Operator != dialog.OpGreaterThan || r.Value != 17.0 || check.Fallback == nil {
		t.Errorf("signup-check = %+v", check)
	}
	api := s.Blocks["order-api"].API
	body, _ := api.Body.(map[string]any)
	if api.Method != "POST" || api.URL != "{config.pluginUrl}" || body["sessionId"] != "{internal.sessionId}" ||
		body["email"] != "{signup.email}" || api.OnError.Block != "order-api-failed" {
		t.Errorf("order-api = %+v", api)
	}
	off := s.Blocks["human-handover"].Offload
	if off.Payload["skill"] != "support" || off.Payload["language"] != "{internal.preferredLanguage}" {
		t.Errorf("human-handover payload = %v", off.Payload)
	}
}

var hex40 = regexp.MustCompile(`^[0-9a-f]{40}$`)

func TestPostbackIDs(t *testing.T) {
	a, b := Demo().Script, parseEmbedded(t, demoFile).Script
	if len(a.Postbacks) == 0 {
		t.Fatal("no postbacks")
	}
	for _, blk := range a.Blocks {
		for _, btn := range buttonsOf(blk.Messages) {
			if btn.Kind != dialog.ButtonPostback {
				continue
			}
			pb, ok := a.Postbacks[btn.Payload]
			if !hex40.MatchString(btn.Payload) || !ok || pb.Title != btn.Title {
				t.Errorf("%s: button %q payload %q registered as %+v", blk.ID, btn.Title, btn.Payload, pb)
			}
		}
	}
	if !equalPostbacks(a.Postbacks, b.Postbacks) {
		t.Error("postback ids differ between two parses of the same file")
	}
	// The intro's first quick reply: PostbackID(bot, block, pointer in block).
	want := dialog.PostbackID("demo", "introduction", "/messages/1/quickReplies/0")
	if got := a.Blocks["introduction"].Messages[1].Replies[0].Payload; got != want {
		t.Errorf("payload = %s, want %s", got, want)
	}
}

func equalPostbacks(a, b map[string]dialog.Postback) bool {
	if len(a) != len(b) {
		return false
	}
	for id, pa := range a {
		pb, ok := b[id]
		if !ok || pa.Title != pb.Title || pa.GoTo.Block != pb.GoTo.Block {
			return false
		}
	}
	return true
}

func TestDefaultBlocks(t *testing.T) {
	b, err := Parse("mini.yaml", []byte("bot: {id: mini}\nblocks: []\n"))
	if err != nil {
		t.Fatal(err)
	}
	wantTexts := map[string]string{
		dialog.BlockNotUnderstood:   "Sorry, I didn't understand that.",
		dialog.BlockErrorOccurred:   "Something went wrong.",
		dialog.BlockOffloadOpened:   "Please wait, an agent will be with you shortly.",
		dialog.BlockOffloadClosed:   "Our agents are not available right now.",
		dialog.BlockOffloadDisabled: "Live chat is not available at the moment.",
	}
	for id, text := range wantTexts {
		blk := b.Script.Blocks[id]
		if blk == nil || blk.Kind != dialog.KindMessage || blk.Messages[0].Text != text {
			t.Errorf("default block %s = %+v, want text %q", id, blk, text)
		}
	}
	s := b.Script
	if s.Name != "mini" || !slices.Equal(s.Languages, []string{"en"}) || s.IntentThreshold != dialog.DefaultIntentThreshold {
		t.Errorf("defaults: name %q languages %v threshold %v", s.Name, s.Languages, s.IntentThreshold)
	}
}
