package scenarios

import (
	"cmp"
	"fmt"
	"regexp"
	"strings"

	"github.com/chatlayer-emulator/chatlayer-emulator/emulator/dialog"
)

// Versions of a bot a channel can run.
const (
	VersionDraft = "DRAFT"
	VersionLive  = "LIVE"
)

// defaultLanguage is the language of a bot that declares none.
const defaultLanguage = "en"

// reservedNamespace is maintained by the engine and read-only in sessions.
const reservedNamespace = "internal"

// compile turns a schema-valid file into a Bot, recording every semantic
// problem. The result is only used when no problem was found.
func (p *parser) compile(doc *fileDoc) *Bot {
	s := &dialog.Script{
		BotID:           doc.Bot.ID,
		Name:            cmp.Or(doc.Bot.Name, doc.Bot.ID),
		Languages:       doc.Bot.Languages,
		IntentThreshold: dialog.DefaultIntentThreshold,
		EntityThreshold: dialog.DefaultEntityThreshold,
		Blocks:          map[string]*dialog.Block{},
		Variables:       map[string]any{},
		Postbacks:       map[string]dialog.Postback{},
	}
	if len(s.Languages) == 0 {
		s.Languages = []string{defaultLanguage}
	}
	if t := doc.Bot.NLP.IntentThreshold; t != nil {
		s.IntentThreshold = *t
	}
	if t := doc.Bot.NLP.EntityThreshold; t != nil {
		s.EntityThreshold = *t
	}
	p.variables(s, doc.Variables)
	s.Entities = p.entities(doc.Entities)
	b := &blockCompiler{parser: p, script: s, entities: entityNames(s.Entities)}
	b.blocks(doc.Blocks)
	addDefaultBlocks(s)
	s.Intents = p.intents(doc.Intents, s)
	b.checkTargets()
	return &Bot{Script: s, Channels: p.channels(doc.Channels.Webhook), AccessTokens: doc.AccessTokens,
		Offloading: p.offloading(doc.Offloading)}
}

// offloading compiles the offloading section; the schema has checked the
// status and the dialect already.
func (p *parser) offloading(d *offloadingDoc) Offloading {
	if d == nil {
		return Offloading{Status: OffloadingOpen, Dialect: DialectCurrent}
	}
	o := Offloading{URL: d.URL, VerifyToken: d.VerifyToken, Hours: d.Hours}
	var err error
	if o.Status, err = ParseOffloadingStatus(d.Status); err != nil {
		p.errorf("/offloading/status", "%v", err)
	}
	if o.Dialect, err = ParseOffloadingDialect(d.Dialect); err != nil {
		p.errorf("/offloading/dialect", "%v", err)
	}
	for _, pr := range o.Check() {
		p.errorf("/offloading"+pr.Field, "%s", pr.Message)
	}
	return o
}

func (p *parser) variables(s *dialog.Script, vars map[string]map[string]any) {
	for ns, values := range vars {
		if ns == reservedNamespace {
			p.errorf("/variables/"+escape(ns), "the %q namespace is read-only", ns)
			continue
		}
		s.Variables[ns] = map[string]any(values)
	}
}

func (p *parser) channels(docs []channelDoc) []Channel {
	out := make([]Channel, 0, len(docs))
	seen := map[string]int{}
	for i, d := range docs {
		ptr := fmt.Sprintf("/channels/webhook/%d/id", i)
		if j, dup := seen[d.ID]; dup {
			p.errorf(ptr, "duplicate channel id %q (also at /channels/webhook/%d)", d.ID, j)
		}
		seen[d.ID] = i
		out = append(out, Channel{ID: d.ID, URL: d.URL, VerifyToken: d.VerifyToken,
			Version: cmp.Or(d.Version, VersionDraft), OmitNLP: d.NLP != nil && !*d.NLP})
	}
	return out
}

func (p *parser) entities(docs []entityDoc) []dialog.Entity {
	out := make([]dialog.Entity, 0, len(docs))
	seen := map[string]int{}
	for i, d := range docs {
		ptr := fmt.Sprintf("/entities/%d", i)
		if j, dup := seen[d.Name]; dup {
			p.errorf(ptr+"/name", "duplicate entity %q (also at /entities/%d)", d.Name, j)
		}
		seen[d.Name] = i
		if len(d.Values) == 0 && len(d.Patterns) == 0 {
			p.errorf(ptr, "entity %q needs values or patterns", d.Name)
		}
		e := dialog.Entity{Name: d.Name}
		for _, v := range d.Values {
			e.Values = append(e.Values, dialog.EntityValue{Value: v.Value, Synonyms: v.Synonyms})
		}
		for k, pat := range d.Patterns {
			e.Patterns = append(e.Patterns, p.regexp(fmt.Sprintf("%s/patterns/%d", ptr, k), pat))
		}
		out = append(out, e)
	}
	return out
}

func entityNames(es []dialog.Entity) map[string]bool {
	m := make(map[string]bool, len(es))
	for _, e := range es {
		m[e.Name] = true
	}
	return m
}

// regexp compiles a pattern, recording an error (and returning nil) when it
// is not a valid RE2 expression.
func (p *parser) regexp(ptr, pattern string) *regexp.Regexp {
	re, err := regexp.Compile(pattern)
	if err != nil {
		p.errorf(ptr, "invalid regular expression: %s", strings.TrimPrefix(err.Error(), "error parsing regexp: "))
		return nil
	}
	return re
}

// intents compiles the intents; blocks must be compiled already.
func (p *parser) intents(docs []intentDoc, s *dialog.Script) []dialog.Intent {
	langs := make(map[string]bool, len(s.Languages))
	for _, l := range s.Languages {
		langs[l] = true
	}
	out := make([]dialog.Intent, 0, len(docs))
	seen := map[string]int{}
	for i, d := range docs {
		ptr := fmt.Sprintf("/intents/%d", i)
		if j, dup := seen[d.Name]; dup {
			p.errorf(ptr+"/name", "duplicate intent %q (also at /intents/%d)", d.Name, j)
		}
		seen[d.Name] = i
		if _, ok := s.Blocks[d.Block]; !ok {
			p.errorf(ptr+"/block", "unknown block %q", d.Block)
		}
		for lang := range d.Expressions {
			if !langs[lang] {
				p.errorf(ptr+"/expressions/"+escape(lang), "language %q is not in bot.languages %v", lang, s.Languages)
			}
		}
		out = append(out, dialog.Intent{Name: d.Name, Expressions: d.Expressions, Block: d.Block})
	}
	return out
}
