package conformance_test

import (
	"bytes"
	"context"
	"flag"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// screenshotPath keeps the browser test's first-screen screenshot, to look
// at: go test ./conformance -run InABrowser -screenshot /tmp/report.png
var screenshotPath = flag.String("screenshot", "", "write the HTML report browser test's screenshot (PNG) to this file")

// requireBrowser names the variable that makes a missing Chromium fail the
// browser test instead of skipping it; .ci/run sets it, and so does CI=true.
const requireBrowser = "CHATLAYER_E2E_REQUIRE_BROWSER"

// First screen of the browser test, in CSS pixels.
const screenWidth, screenHeight = 1280, 1000

// chromium returns the path of Chromium on PATH. Without one it skips the
// test, or fails it in CI.
func chromium(t *testing.T) string {
	t.Helper()
	for _, name := range []string{"chromium", "chromium-browser"} {
		if path, err := exec.LookPath(name); err == nil {
			return path
		}
	}
	if os.Getenv(requireBrowser) == "1" || os.Getenv("CI") == "true" {
		t.Fatalf("no chromium on PATH, and the browser test is required (%s=1 or CI=true): apt-get install chromium", requireBrowser)
	}
	t.Skipf("no chromium on PATH: the HTML report's browser test is skipped (apt-get install chromium; %s=1 makes this a failure)", requireBrowser)
	return ""
}

// browser starts one headless Chromium for the test and stops it, and
// every goroutine of chromedp, when the test ends.
func browser(t *testing.T, exe string) context.Context {
	t.Helper()
	opts := append(chromedp.DefaultExecAllocatorOptions[:], chromedp.ExecPath(exe), chromedp.Headless,
		chromedp.NoSandbox, // the tests run as root in CI; Chromium refuses its sandbox there
		chromedp.WindowSize(screenWidth, screenHeight), chromedp.UserDataDir(t.TempDir()))
	actx, stopAllocator := chromedp.NewExecAllocator(context.Background(), opts...)
	t.Cleanup(stopAllocator) // waits until the browser process has exited
	ctx, stopBrowser := chromedp.NewContext(actx, chromedp.WithLogf(t.Logf))
	t.Cleanup(stopBrowser) // runs first: closes the browser
	return ctx
}

// layout is what the page looks like in the browser.
type layout struct {
	Title    string    `json:"title"`
	Sections []section `json:"sections"`
	Fix      box       `json:"fix"`  // the first failure's fix
	Link     box       `json:"link"` // the first failure's link to the docs
	LinkHref string    `json:"linkHref"`
}

// section is a part of the page and where it starts.
type section struct {
	ID  string  `json:"id"`
	Top float64 `json:"top"`
}

// box is where an element is drawn, and whether it is drawn at all.
type box struct {
	Top     float64 `json:"top"`
	Bottom  float64 `json:"bottom"`
	Height  float64 `json:"height"`
	Visible bool    `json:"visible"`
	Text    string  `json:"text"`
}

// layoutJS measures the page (document coordinates; the page is not
// scrolled).
const layoutJS = `(() => {
  const box = el => {
    if (!el) return {top: -1, bottom: -1, height: 0, visible: false, text: ""};
    const r = el.getBoundingClientRect();
    return {top: r.top + scrollY, bottom: r.bottom + scrollY, height: r.height,
            visible: el.checkVisibility({visibilityProperty: true, opacityProperty: true}), text: el.innerText};
  };
  const sections = [...document.querySelectorAll("body > header[id], body > section[id]")]
    .map(el => ({id: el.id, top: el.getBoundingClientRect().top + scrollY}));
  const first = document.querySelector("#failures tr.todo-item");
  const link = first && first.querySelector("a.docs");
  return {title: document.title, sections, fix: box(first && first.querySelector(".fix")), link: box(link),
          linkHref: link ? link.href : ""};
})()`

// TestHTMLReportInABrowser opens a report with failures and passes in
// headless Chromium: its parts come in the order verdict, failures,
// passes, coverage, inputs, and the first failure's fix and docs link are
// drawn on the first screen.
func TestHTMLReportInABrowser(t *testing.T) {
	exe := chromium(t)
	rep := defectiveRun(t, twoMustOneShould...)
	file := filepath.Join(t.TempDir(), "report.html")
	if err := os.WriteFile(file, []byte(renderHTML(t, rep)), 0o600); err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	ctx := browser(t, exe)
	if err := chromedp.Do(ctx); err != nil { // starts the browser, which lives as long as ctx
		t.Fatalf("starting %s: %v", exe, err)
	}
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(screenWidth, screenHeight), chromedp.Navigate("file://"+file)); err != nil {
		t.Fatalf("opening the report: %v", err)
	}
	got, err := chromedp.Run(ctx, chromedp.Evaluate[layout](layoutJS))
	if err != nil {
		t.Fatalf("measuring the page: %v", err)
	}
	shot, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
	if err != nil {
		t.Fatalf("screenshot: %v", err)
	}
	t.Logf("chromium started, rendered, measured and photographed the page in %s", time.Since(start).Round(time.Millisecond))
	checkScreenshot(t, shot)
	checkLayout(t, got)
}

// checkLayout asserts the order of the parts and that the first failure's
// fix and link are visible on the first screen.
func checkLayout(t *testing.T, got layout) {
	t.Helper()
	if want := "Chatlayer conformance report: NOT CONFORMANT"; !strings.HasPrefix(got.Title, want) {
		t.Errorf("title %q, want it to start with %q", got.Title, want)
	}
	var order []string
	last := -1.0
	for _, s := range got.Sections {
		order = append(order, s.ID)
		if s.Top <= last {
			t.Errorf("part %s starts at %.0f px, above the part before it (%.0f px)", s.ID, s.Top, last)
		}
		last = s.Top
	}
	if want := []string{"verdict", "failures", "passes", "coverage", "inputs"}; !slices.Equal(order, want) {
		t.Errorf("parts in order %v, want %v", order, want)
	}
	for name, b := range map[string]box{"fix": got.Fix, "docs link": got.Link} {
		if !b.Visible || b.Height == 0 || b.Text == "" || b.Top < 0 || b.Bottom > screenHeight {
			t.Errorf("the first failure's %s is not drawn on the first screen (%d px): %+v", name, screenHeight, b)
		}
	}
	if want := "https://github.com/chatlayer-emulator/chatlayer-emulator/blob/main/docs/CONFORMANCE.md#offloading.offload.answer"; got.LinkHref != want {
		t.Errorf("the first failure links to %q, want %q", got.LinkHref, want)
	}
}

// checkScreenshot checks that the screenshot is a PNG of the first screen
// and keeps it when -screenshot is given.
func checkScreenshot(t *testing.T, shot []byte) {
	t.Helper()
	img, err := png.Decode(bytes.NewReader(shot))
	if err != nil {
		t.Fatalf("screenshot: %v", err)
	}
	if b := img.Bounds(); b.Dx() != screenWidth || b.Dy() != screenHeight {
		t.Errorf("screenshot is %dx%d, want %dx%d", b.Dx(), b.Dy(), screenWidth, screenHeight)
	}
	if *screenshotPath != "" {
		if err := os.WriteFile(*screenshotPath, shot, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}
