//go:build js && wasm

package main

import (
	"bytes"
	"image"
	"image/color"

	"github.com/hajimehoshi/ebiten/v2"
	"github.com/hajimehoshi/ebiten/v2/text/v2"
	"github.com/hajimehoshi/ebiten/v2/vector"
	"golang.org/x/image/font/gofont/gobold"
	"golang.org/x/image/font/gofont/gomono"
	"golang.org/x/image/font/gofont/goregular"

	"convlab/engine/ui"
)

// Font styles the painter knows.
type fontStyle int

const (
	regular fontStyle = iota
	bold
	mono
)

// Colours of the page: dark text on a light ground, readable on a projector.
var (
	colBackground = color.RGBA{0xf6, 0xf5, 0xf1, 0xff}
	colPanel      = color.RGBA{0xff, 0xff, 0xff, 0xff}
	colBar        = color.RGBA{0x1f, 0x29, 0x37, 0xff}
	colText       = color.RGBA{0x1a, 0x1a, 0x1a, 0xff}
	colMuted      = color.RGBA{0x5b, 0x60, 0x6b, 0xff}
	colLine       = color.RGBA{0xc9, 0xcc, 0xd2, 0xff}
	colAccent     = color.RGBA{0x1d, 0x4e, 0xd8, 0xff}
	colWindow     = color.RGBA{0xe8, 0x6a, 0x00, 0xff} // the sliding window, a receptive field
	colWindowBg   = color.RGBA{0xff, 0xe2, 0xc2, 0xff} // cells under a window
	colGrid       = color.RGBA{0x9a, 0x9f, 0xa8, 0xff} // grid lines and cell borders
	colError      = color.RGBA{0xb9, 0x1c, 0x1c, 0xff}
	colGood       = color.RGBA{0x15, 0x80, 0x3d, 0xff}
)

// painter draws in layout units onto the screen in device pixels.
type painter struct {
	dst     *ebiten.Image
	scale   float64 // device pixels per unit
	offX    float64 // device pixel of unit 0
	offY    float64
	sources [3]*text.GoTextFaceSource
	faces   map[faceKey]*text.GoTextFace
	pics    pictures
}

type faceKey struct {
	style fontStyle
	size  float64 // device pixels
}

func newPainter() *painter {
	p := &painter{faces: map[faceKey]*text.GoTextFace{}}
	for i, ttf := range [][]byte{goregular.TTF, gobold.TTF, gomono.TTF} {
		s, err := text.NewGoTextFaceSource(bytes.NewReader(ttf))
		if err != nil {
			panic("font: " + err.Error()) // the embedded fonts are known good
		}
		p.sources[i] = s
	}
	return p
}

func (p *painter) begin(dst *ebiten.Image, f interface {
	CSS(image.Rectangle) (float64, float64, float64, float64)
}, dpr float64) {
	p.dst = dst
	x0, y0, w, _ := f.CSS(image.Rect(0, 0, 1000, 1000))
	p.scale = w / 1000 * dpr
	p.offX, p.offY = x0*dpr, y0*dpr
	dst.Fill(colBackground)
}

func (p *painter) face(style fontStyle, size float64) *text.GoTextFace {
	k := faceKey{style, float64(int(size*p.scale*4+0.5)) / 4}
	f, ok := p.faces[k]
	if !ok {
		f = &text.GoTextFace{Source: p.sources[style], Size: k.size}
		p.faces[k] = f
	}
	return f
}

// dev converts a layout coordinate to device pixels.
func (p *painter) dev(x, y float64) (float32, float32) {
	return float32(p.offX + x*p.scale), float32(p.offY + y*p.scale)
}

// fill fills the layout rectangle r.
func (p *painter) fill(r image.Rectangle, c color.Color) {
	x, y := p.dev(float64(r.Min.X), float64(r.Min.Y))
	vector.DrawFilledRect(p.dst, x, y, float32(float64(r.Dx())*p.scale), float32(float64(r.Dy())*p.scale), c, false)
}

// fillF fills a rectangle given in fractional units.
func (p *painter) fillF(x, y, w, h float64, c color.Color) {
	dx, dy := p.dev(x, y)
	vector.DrawFilledRect(p.dst, dx, dy, float32(w*p.scale), float32(h*p.scale), c, false)
}

// stroke outlines r with a line width units wide, drawn inside r.
func (p *painter) stroke(r image.Rectangle, width float64, c color.Color) {
	x, y := p.dev(float64(r.Min.X), float64(r.Min.Y))
	w := float32(width * p.scale)
	if w < 1 {
		w = 1
	}
	vector.StrokeRect(p.dst, x+w/2, y+w/2, float32(float64(r.Dx())*p.scale)-w, float32(float64(r.Dy())*p.scale)-w, w, c, false)
}

// line draws a straight line in units.
func (p *painter) line(x0, y0, x1, y1, width float64, c color.Color) {
	ax, ay := p.dev(x0, y0)
	bx, by := p.dev(x1, y1)
	w := float32(width * p.scale)
	if w < 1 {
		w = 1
	}
	vector.StrokeLine(p.dst, ax, ay, bx, by, w, c, true)
}

// align says where a text's anchor point sits.
type align int

const (
	left align = iota
	center
	right
)

// text draws s with its top at y and its anchor at x (per a).
func (p *painter) text(s string, x, y, size float64, style fontStyle, c color.Color, a align) {
	f := p.face(style, size)
	op := &text.DrawOptions{}
	dx, dy := p.dev(x, y)
	op.GeoM.Translate(float64(dx), float64(dy))
	op.ColorScale.ScaleWithColor(c)
	op.PrimaryAlign = text.Align(a)
	text.Draw(p.dst, s, f, op)
}

// textIn draws s centred in r both ways.
func (p *painter) textIn(s string, r image.Rectangle, size float64, style fontStyle, c color.Color) {
	f := p.face(style, size)
	op := &text.DrawOptions{}
	cx, cy := p.dev(float64(r.Min.X+r.Max.X)/2, float64(r.Min.Y+r.Max.Y)/2)
	op.GeoM.Translate(float64(cx), float64(cy))
	op.ColorScale.ScaleWithColor(c)
	op.PrimaryAlign = text.AlignCenter
	op.SecondaryAlign = text.AlignCenter
	text.Draw(p.dst, s, f, op)
}

// width returns the advance of s in units.
func (p *painter) width(s string, size float64, style fontStyle) float64 {
	return text.Advance(s, p.face(style, size)) / p.scale
}

// wrap breaks s into lines no wider than w units.
func (p *painter) wrap(s string, w, size float64, style fontStyle) []string {
	return ui.Wrap(s, w, func(t string) float64 { return p.width(t, size, style) })
}

// paragraph draws s wrapped to width w from (x, y) and returns the y below it.
func (p *painter) paragraph(s string, x, y, w, size float64, style fontStyle, c color.Color) float64 {
	lh := size * 1.4
	for _, l := range p.wrap(s, w, size, style) {
		p.text(l, x, y, size, style, c, left)
		y += lh
	}
	return y
}

// pictures keeps one GPU image per key, refreshed when its version changes,
// so a heat map or filter picture is uploaded once per change, not once per
// frame.
type pictures struct {
	m map[string]*picture
}

type picture struct {
	img     *ebiten.Image
	version int
}

// picture draws src (one texel per value) scaled with nearest-neighbour
// filtering to fill the layout rectangle r. key names the picture and
// version says when src changed; src is only read when the version differs
// from the one last uploaded under key.
func (p *painter) picture(key string, version int, src *image.RGBA, r image.Rectangle) {
	if src == nil || src.Rect.Empty() || r.Empty() {
		return
	}
	if p.pics.m == nil {
		p.pics.m = map[string]*picture{}
	}
	e := p.pics.m[key]
	if e == nil || e.img.Bounds().Size() != src.Rect.Size() {
		if e != nil {
			e.img.Deallocate()
		}
		e = &picture{img: ebiten.NewImage(src.Rect.Dx(), src.Rect.Dy()), version: version - 1}
		p.pics.m[key] = e
	}
	if e.version != version {
		e.img.WritePixels(src.Pix)
		e.version = version
	}
	p.drawImage(e.img, r)
}

// drawImage draws img scaled (nearest neighbour) to fill the layout rectangle r.
func (p *painter) drawImage(img *ebiten.Image, r image.Rectangle) {
	w, h := img.Bounds().Dx(), img.Bounds().Dy()
	op := &ebiten.DrawImageOptions{}
	op.GeoM.Scale(float64(r.Dx())*p.scale/float64(w), float64(r.Dy())*p.scale/float64(h))
	x, y := p.dev(float64(r.Min.X), float64(r.Min.Y))
	op.GeoM.Translate(float64(x), float64(y))
	op.Filter = ebiten.FilterNearest
	p.dst.DrawImage(img, op)
}
