//go:build !js

package browsertest

import (
	"context"
	"image"
	"image/color"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/chromedp"
)

// uploadState is the part of the activation-maps lesson's state the upload
// test reads.
type uploadState struct {
	Lesson  string `json:"lesson"`
	Message string `json:"message"`
	Detail  struct {
		Input       string `json:"input"`
		InputShape  string `json:"inputShape"`
		OutputShape string `json:"outputShape"`
		Source      string `json:"source"`
		Message     string `json:"message"`
		Maps        []struct {
			Min float32 `json:"min"`
			Max float32 `json:"max"`
		} `json:"maps"`
		Upload *struct {
			Name   string `json:"name"`
			Format string `json:"format"`
			Width  int    `json:"width"`
			Height int    `json:"height"`
		} `json:"upload"`
	} `json:"detail"`
}

// uploadState reads the state afresh (fields the page leaves out when
// empty are empty).
func (p *Page) uploadState() uploadState {
	var st uploadState
	p.State(&st)
	return st
}

// chooseFile puts a file into the File widget's hidden chooser, as the
// student's pick in the browser's file dialog does.
func (p *Page) chooseFile(widget, path string) {
	p.T.Helper()
	sel := chromedp.CSS(`input[type=file][data-file="` + widget + `"]`)
	if err := chromedp.Do(p.ctx, chromedp.SetUploadFiles(sel, []string{path})); err != nil {
		p.T.Fatalf("choosing %s: %v", path, err)
	}
}

// dropFile drags a file from the desktop onto the page at (x, y) and drops
// it there.
func (p *Page) dropFile(path string, x, y float64) {
	p.T.Helper()
	data := &input.DragData{Items: []*input.DragDataItem{}, Files: []string{path}, DragOperationsMask: 1}
	for _, typ := range []input.DispatchDragEventType{input.DispatchDragEventTypeDragEnter,
		input.DispatchDragEventTypeDragOver, input.DispatchDragEventTypeDrop} {
		err := chromedp.Do(p.ctx, chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
			_, err := cdp.Call(ctx, tg, input.DispatchDragEvent, input.DispatchDragEventParams{Type: typ, X: x, Y: y, Data: data})
			return err
		}))
		if err != nil {
			p.T.Fatalf("%s of %s: %v", typ, path, err)
		}
	}
}

// writeQuadrants writes a w x h PNG of four solid quadrants: red and green
// above blue and yellow.
func writeQuadrants(t *testing.T, path string, w, h int) {
	t.Helper()
	inks := [2][2]color.NRGBA{{{220, 30, 40, 255}, {20, 160, 60, 255}}, {{30, 60, 210, 255}, {240, 200, 20, 255}}}
	img := image.NewNRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			img.SetNRGBA(x, y, inks[2*y/h][2*x/w])
		}
	}
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if err := png.Encode(f, img); err != nil {
		t.Fatal(err)
	}
}

// near reports whether colour c is within tol of (r, g, b) in every channel.
func near(c color.Color, r, g, b uint8, tol int) bool {
	cr, cg, cb, _ := c.RGBA()
	d := func(v uint32, w uint8) bool { x := int(v>>8) - int(w); return x <= tol && -x <= tol }
	return d(cr, r) && d(cg, g) && d(cb, b)
}

// TestUpload brings the student's own picture into the activation-maps
// lesson from disk: chosen with "Your picture…", it becomes the input with
// six maps; a text file is refused with its reason and the picture stays;
// a picture dropped on the page replaces it; a picture dropped on another
// lesson is answered; a reload keeps the picture.
func TestUpload(t *testing.T) {
	dir := t.TempDir()
	quad := filepath.Join(dir, "my quadrants.png")
	writeQuadrants(t, quad, 200, 120) // landscape: the middle 120 x 120 is used
	notes := filepath.Join(dir, "notes.txt")
	if err := os.WriteFile(notes, []byte("Convolutions keep the spatial structure."), 0o644); err != nil {
		t.Fatal(err)
	}
	dropped := filepath.Join(dir, "dropped.png")
	writeQuadrants(t, dropped, 64, 64)

	p := browser.Open(t, browser.FileURL()+"#lesson=activation-maps", View{W: 1280, H: 800})
	if b := p.Find("upload"); b.Kind != "file" || b.W < 44 || b.H < 44 {
		t.Errorf("the upload button is a %q of %.0fx%.0f CSS px", b.Kind, b.W, b.H)
	}
	var label string
	p.Eval(`document.querySelector('[data-name="upload"]').textContent`, &label)
	if label != "Your picture…" {
		t.Errorf("the upload button says %q", label)
	}
	hash := ""
	p.Eval(`location.hash`, &hash)

	// Choose the picture.
	p.chooseFile("upload", quad)
	p.WaitFor(`window.convlab.state().detail.input === "upload"`, 10*time.Second)
	st := p.uploadState()
	d := st.Detail
	if d.InputShape != "3 x 32 x 32" || d.OutputShape != "6 x 28 x 28" || len(d.Maps) != 6 || d.Source != "picture" ||
		d.Upload == nil || d.Upload.Name != "my quadrants.png" || d.Upload.Width != 200 || d.Upload.Height != 120 {
		t.Fatalf("after choosing the picture: %+v", d)
	}
	if !strings.Contains(st.Message, "your picture my quadrants.png (PNG, 200 x 120)") {
		t.Errorf("choosing the picture said %q", st.Message)
	}
	// The thumbnail shows the four quadrants.
	p.Frames(3)
	img := p.Screenshot("upload-picture-1280x800")
	th := p.Find("input-upload")
	at := func(fx, fy float64) color.Color { return img.At(int(th.X+fx*th.W), int(th.Y+fy*th.H)) }
	if !near(at(0.25, 0.25), 220, 30, 40, 12) || !near(at(0.75, 0.25), 20, 160, 60, 12) ||
		!near(at(0.25, 0.75), 30, 60, 210, 12) || !near(at(0.75, 0.75), 240, 200, 20, 12) {
		t.Errorf("the thumbnail's quadrants are %v %v %v %v", at(0.25, 0.25), at(0.75, 0.25), at(0.25, 0.75), at(0.75, 0.75))
	}
	mapsLooksDrawn(t, img, p, "map-0", "map-5")

	// A text file is refused; the picture stays.
	p.chooseFile("upload", notes)
	p.WaitFor(`(window.convlab.state().detail.message || "").includes("notes.txt is not a picture")`, 10*time.Second)
	st = p.uploadState()
	if st.Detail.Input != "upload" || st.Detail.Upload.Name != "my quadrants.png" || len(st.Detail.Maps) != 6 {
		t.Errorf("after the text file: input %q, picture %+v", st.Detail.Input, st.Detail.Upload)
	}
	if !strings.Contains(st.Message, "use a PNG, JPEG, GIF, WebP, BMP or TIFF file. The input stays your picture my quadrants.png.") {
		t.Errorf("the refusal said %q", st.Message)
	}
	var invalid string
	p.Eval(`document.querySelector('[data-name="upload"]').getAttribute("aria-invalid") || ""`, &invalid)
	if invalid != "true" {
		t.Errorf("the upload button's aria-invalid is %q after a refusal", invalid)
	}
	p.Frames(3)
	p.Screenshot("upload-refused-1280x800")

	// Drop a picture on the maps: it replaces the first.
	m := p.Find("map-2")
	p.dropFile(dropped, m.X+m.W/2, m.Y+m.H/2)
	p.WaitFor(`window.convlab.state().detail.upload && window.convlab.state().detail.upload.name === "dropped.png"`, 10*time.Second)
	st = p.uploadState()
	if st.Detail.Input != "upload" || st.Detail.Message != "" || st.Detail.Upload.Width != 64 {
		t.Errorf("after the drop: input %q, message %q, picture %+v", st.Detail.Input, st.Detail.Message, st.Detail.Upload)
	}

	// Dropped on another lesson, a picture is not used, and the page says
	// where to take it.
	p.Click("lesson-fc-vs-conv")
	p.WaitFor(`window.convlab.state().lesson === "fc-vs-conv"`, 5*time.Second)
	p.dropFile(quad, 640, 400)
	p.WaitFor(`(window.convlab.state().message || "").includes("was not used")`, 10*time.Second)
	var msg string
	p.Eval(`window.convlab.state().message`, &msg)
	if !strings.HasPrefix(msg, "my quadrants.png was not used: pictures of your own go into lesson 3") {
		t.Errorf("a drop on lesson 1 said %q", msg)
	}
	var still string
	p.Eval(`location.href`, &still)
	if !strings.HasPrefix(still, "file://") || !strings.HasSuffix(strings.SplitN(still, "#", 2)[0], "index.html") {
		t.Errorf("after the drop the tab shows %s", still)
	}
	p.Click("lesson-activation-maps")
	p.WaitFor(`window.convlab.state().lesson === "activation-maps"`, 5*time.Second)

	// Reload: the picture is kept, as the input.
	p.WaitFor(`location.hash !== `+jsString(hash)+` && location.hash.includes("activation-maps")`, 5*time.Second)
	p.Frames(40) // the page saves twice a second
	p.Eval(`(window.convlabOldPage = true, setTimeout(() => location.reload(), 10), true)`, nil)
	p.WaitFor(`!window.convlabOldPage && window.convlabGo && window.convlab.state().lesson === "activation-maps"`, 60*time.Second)
	st = p.uploadState()
	if st.Detail.Input != "upload" || st.Detail.Upload == nil || st.Detail.Upload.Name != "dropped.png" || len(st.Detail.Maps) != 6 {
		t.Errorf("after a reload: input %q, picture %+v, %d maps", st.Detail.Input, st.Detail.Upload, len(st.Detail.Maps))
	}
	p.Frames(3)
	img = p.Screenshot("upload-reloaded-1280x800")
	th = p.Find("input-upload")
	if !near(img.At(int(th.X+th.W/4), int(th.Y+th.H/4)), 220, 30, 40, 12) {
		t.Errorf("after a reload the thumbnail's top-left is %v", img.At(int(th.X+th.W/4), int(th.Y+th.H/4)))
	}
}

// jsString writes s as a JavaScript string literal.
func jsString(s string) string {
	return "'" + strings.NewReplacer(`\`, `\\`, `'`, `\'`).Replace(s) + "'"
}
