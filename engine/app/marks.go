package app

import (
	"bytes"
	"image"
	"image/color"
	"math"

	"convlab/engine/ui"
)

// This file holds the display list the lessons' screens draw with: each
// screen paints its marks in layout units after every change, and the page
// draws them as they are.

// MarkKind says what a mark draws.
type MarkKind int

// Kinds of marks.
const (
	FillMark    MarkKind = iota // fill Rect
	StrokeMark                  // outline Rect, Width units wide, inside it
	TextMark                    // one line of Text in Rect: vertically centred, placed by Align
	PictureMark                 // Pic scaled (nearest neighbour) to fill Rect
	LineMark                    // a straight line from Rect.Min to Rect.Max, Width units wide
)

// Ink names a colour of the page's palette.
type Ink int

// Inks. InkCustom uses the mark's Colour.
const (
	InkText Ink = iota
	InkMuted
	InkAccent
	InkWindow   // a window, a receptive field and what it makes (the sliding filter's orange)
	InkWindowBg // cells under a window
	InkError
	InkGood
	InkPanel
	InkLine // light grey rules
	InkGrid // darker grey grid lines
	InkCustom
)

// Font is a text style.
type Font int

// Fonts.
const (
	FontRegular Font = iota
	FontBold
	FontMono
)

// Align places text horizontally in its rectangle.
type Align int

// Alignments.
const (
	AlignLeft Align = iota
	AlignCenter
	AlignRight
)

// Mark is one thing the page draws for a screen, in layout units. A screen
// lists its marks in drawing order after every change; the page draws them
// as they are, computing nothing.
type Mark struct {
	Kind   MarkKind
	Rect   image.Rectangle // for a line, Min and Max are its ends
	Ink    Ink
	Colour color.RGBA // the colour when Ink is InkCustom
	Width  float64    // MapsStroke: line width in units
	Text   string
	Size   float64 // text size in units
	Font   Font
	Align  Align
	Pic    *Picture
}

// Picture is an image the page uploads once per Version and draws
// scaled: a heat map, a filter, the input.
type Picture struct {
	Key     string      // names the picture; one GPU image per key
	Version int         // changes whenever Img does
	Img     *image.RGBA // tight: Stride = 4 * width, Rect.Min = (0, 0)
}

// show gives p the image img with version v if its pixels differ from
// those p holds, and reports whether they did: a picture's version moves
// only when what it shows does, so the page uploads it again only then.
func (p *Picture) show(img *image.RGBA, v int) bool {
	if p.Img != nil && img.Rect == p.Img.Rect && bytes.Equal(img.Pix, p.Img.Pix) {
		return false
	}
	p.Img, p.Version = img, v
	return true
}

// cachedPic returns the picture named key in pics (id is its page-wide
// Key), making it with draw when it is new or when fresh is set; a remade
// picture that differs from the old one takes version gen.
func cachedPic(pics map[string]*Picture, key, id string, gen int, fresh bool, draw func() *image.RGBA) *Picture {
	p := pics[key]
	if p == nil {
		p = &Picture{Key: id, Version: -1}
		pics[key] = p
		fresh = true
	}
	if fresh {
		p.show(draw(), gen)
	}
	return p
}

// painter collects a screen's marks.
type painter struct {
	marks   []Mark
	dropped int // lines of text para had no room for
}

func (p *painter) fill(r image.Rectangle, ink Ink) {
	p.marks = append(p.marks, Mark{Kind: FillMark, Rect: r, Ink: ink})
}

func (p *painter) fillColour(r image.Rectangle, c color.RGBA) {
	p.marks = append(p.marks, Mark{Kind: FillMark, Rect: r, Ink: InkCustom, Colour: c})
}

func (p *painter) stroke(r image.Rectangle, width float64, ink Ink) {
	p.marks = append(p.marks, Mark{Kind: StrokeMark, Rect: r, Ink: ink, Width: width})
}

func (p *painter) line(a, b image.Point, width float64, ink Ink) {
	p.marks = append(p.marks, Mark{Kind: LineMark, Rect: image.Rectangle{Min: a, Max: b}, Ink: ink, Width: width})
}

func (p *painter) picture(r image.Rectangle, pic *Picture) {
	if pic != nil && pic.Img != nil {
		p.marks = append(p.marks, Mark{Kind: PictureMark, Rect: r, Pic: pic})
	}
}

// text writes one line in r, cut short with "…" if it would not fit.
func (p *painter) text(r image.Rectangle, s string, size float64, font Font, ink Ink, a Align) {
	if s == "" {
		return
	}
	p.marks = append(p.marks, Mark{Kind: TextMark, Rect: r, Text: fitText(s, r.Dx(), size, font), Size: size,
		Font: font, Ink: ink, Align: a})
}

// para writes s wrapped to r's width from r's top, as many lines as fit,
// and returns the y below the last line.
func (p *painter) para(r image.Rectangle, s string, size float64, font Font, ink Ink) int {
	lh := paraLine(size)
	y := r.Min.Y
	for _, line := range wrapText(s, r.Dx(), size, font) {
		if y+lh > r.Max.Y {
			p.dropped++
			continue
		}
		p.text(image.Rect(r.Min.X, y, r.Max.X, y+lh), line, size, font, ink, AlignLeft)
		y += lh
	}
	return y
}

// fontEm is the advance of an average character, in ems, of each font: an
// estimate on the generous side, so text measured with it fits.
func fontEm(font Font) float64 {
	switch font {
	case FontMono:
		return 0.6
	case FontBold:
		return 0.55
	}
	return 0.5
}

// paraFits reports whether para can write all of s in r.
func paraFits(s string, r image.Rectangle, size float64, font Font) bool {
	return len(wrapText(s, r.Dx(), size, font))*paraLine(size) <= r.Dy()
}

// textW estimates the width of s in units.
func textW(s string, size float64, font Font) int {
	return int(math.Ceil(float64(len([]rune(s))) * size * fontEm(font)))
}

// fitText cuts s short with "…" so it fits in w units.
func fitText(s string, w int, size float64, font Font) string {
	if textW(s, size, font) <= w {
		return s
	}
	rs := []rune(s)
	n := int(float64(w)/(size*fontEm(font))) - 1
	if n <= 0 {
		return ""
	}
	return string(rs[:min(n, len(rs))]) + "…"
}

// wrapText breaks s into lines no wider than w units (a word longer than a
// line gets a line of its own).
func wrapText(s string, w int, size float64, font Font) []string {
	return ui.Wrap(s, float64(w), func(t string) float64 { return float64(textW(t, size, font)) })
}
