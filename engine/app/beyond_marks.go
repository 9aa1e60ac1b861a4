package app

import (
	"bytes"
	"image"
	"image/color"
	"math"

	"convlab/engine/ui"
)

// BeyondMarkKind says what a mark of lesson 5's display list draws.
type BeyondMarkKind int

// Kinds of marks.
const (
	BeyondFill    BeyondMarkKind = iota // fill Rect
	BeyondStroke                        // outline Rect, Width units wide, inside it
	BeyondText                          // one line of Text in Rect: vertically centred, placed by Align
	BeyondPicture                       // Pic scaled (nearest neighbour) to fill Rect
	BeyondLine                          // a straight line from Rect.Min to Rect.Max, Width units wide
)

// BeyondInk names a colour of the page's palette.
type BeyondInk int

// Inks. BeyondCustom uses the mark's Colour.
const (
	BeyondInkText     BeyondInk = iota
	BeyondInkMuted              // captions, notes
	BeyondInkAccent             // the chosen thing
	BeyondInkWindow             // a window, a receptive field (the sliding filter's orange)
	BeyondInkWindowBg           // cells under a window
	BeyondInkError
	BeyondInkGood
	BeyondInkPanel // white
	BeyondInkLine  // light grey rules
	BeyondInkGrid  // darker grey grid lines
	BeyondCustom
)

// BeyondFont is a text style.
type BeyondFont int

// Fonts.
const (
	BeyondRegular BeyondFont = iota
	BeyondBold
	BeyondMono
)

// BeyondAlign places text horizontally in its rectangle.
type BeyondAlign int

// Alignments.
const (
	BeyondLeft BeyondAlign = iota
	BeyondCenter
	BeyondRight
)

// BeyondMark is one thing the page draws for lesson 5, in layout units.
// The screen lists its marks in drawing order after every change; the page
// draws them as they are and computes nothing.
type BeyondMark struct {
	Kind   BeyondMarkKind
	Rect   image.Rectangle // for a line, Min and Max are its ends
	Ink    BeyondInk
	Colour color.RGBA // when Ink is BeyondCustom
	Width  float64    // stroke and line width in units
	Text   string
	Size   float64 // text size in units
	Font   BeyondFont
	Align  BeyondAlign
	Pic    *BeyondPic
}

// BeyondPic is a picture the page uploads once per Version and draws
// scaled: an input picture, a heat map, a mosaic of maps.
type BeyondPic struct {
	Key     string      // names the picture; one GPU image per key
	Version int         // changes whenever Img does
	Img     *image.RGBA // tight: Stride = 4 * width, Rect.Min = (0, 0)
}

// Text sizes of lesson 5, in units.
const (
	beyondBody  = 18.0 // body text and table cells
	beyondSmall = 15.0 // captions, notes, column heads
	beyondTitle = 18.0 // bold titles
	beyondLine  = 3 * ui.U
	beyondStat  = 6 * ui.U // kept free at the bottom for the page's status line
)

// beyondTextW estimates the width of s in units, as the activation-maps
// screen measures its words (generous, so that measured text fits).
func beyondTextW(s string, size float64, f BeyondFont) int { return mapsTextW(s, size, f.maps()) }

// maps returns the activation-maps screen's font of the same style.
func (f BeyondFont) maps() MapsFont {
	switch f {
	case BeyondBold:
		return MapsBold
	case BeyondMono:
		return MapsMono
	}
	return MapsRegular
}

// beyondBtnW returns the width of a page button showing label: the page
// sets button text at 0.8 of 20 units in the browser's sans-serif, which
// can be wide (up to 0.65 em a character), with 0.4 em of padding a side.
func beyondBtnW(label string) int {
	w := int(float64(len([]rune(label)))*16*0.65) + 3*ui.U
	return max(ui.Control, (w+ui.U-1)/ui.U*ui.U)
}

// beyondPainter collects marks.
type beyondPainter struct {
	marks   []BeyondMark
	dropped int // lines of text para had no room for
}

func (p *beyondPainter) fill(r image.Rectangle, ink BeyondInk) {
	p.marks = append(p.marks, BeyondMark{Kind: BeyondFill, Rect: r, Ink: ink})
}

func (p *beyondPainter) fillColour(r image.Rectangle, c color.RGBA) {
	p.marks = append(p.marks, BeyondMark{Kind: BeyondFill, Rect: r, Ink: BeyondCustom, Colour: c})
}

func (p *beyondPainter) stroke(r image.Rectangle, w float64, ink BeyondInk) {
	p.marks = append(p.marks, BeyondMark{Kind: BeyondStroke, Rect: r, Ink: ink, Width: w})
}

func (p *beyondPainter) line(a, b image.Point, w float64, ink BeyondInk) {
	p.marks = append(p.marks, BeyondMark{Kind: BeyondLine, Rect: image.Rectangle{Min: a, Max: b}, Ink: ink, Width: w})
}

func (p *beyondPainter) picture(r image.Rectangle, pic *BeyondPic) {
	if pic == nil || pic.Img == nil {
		return
	}
	p.marks = append(p.marks, BeyondMark{Kind: BeyondPicture, Rect: r, Pic: pic})
}

// text writes one line in r, vertically centred.
func (p *beyondPainter) text(r image.Rectangle, s string, size float64, f BeyondFont, ink BeyondInk, a BeyondAlign) {
	if s == "" {
		return
	}
	p.marks = append(p.marks, BeyondMark{Kind: BeyondText, Rect: r, Text: s, Size: size, Font: f, Ink: ink, Align: a})
}

// para writes s wrapped to r's width from r's top, as many lines as fit,
// and returns the y below the last line written.
func (p *beyondPainter) para(r image.Rectangle, s string, size float64, f BeyondFont, ink BeyondInk) int {
	lh := int(math.Ceil(size * 1.35))
	y := r.Min.Y
	for _, line := range mapsWrap(s, r.Dx(), size, f.maps()) {
		if y+lh > r.Max.Y {
			p.dropped++
			continue
		}
		p.text(image.Rect(r.Min.X, y, r.Max.X, y+lh), line, size, f, ink, BeyondLeft)
		y += lh
	}
	return y
}

// pic returns the picture under key, remade by draw; its version changes
// only when the pixels do, so the page uploads it again only then.
func (s *BeyondScreen) pic(key string, draw func() *image.RGBA) *BeyondPic {
	p := s.pics[key]
	if p == nil {
		p = &BeyondPic{Key: key, Version: -1}
		s.pics[key] = p
	}
	img := draw()
	if p.Img == nil || img.Rect != p.Img.Rect || !bytes.Equal(img.Pix, p.Img.Pix) {
		s.gen++
		p.Img, p.Version = img, s.gen
	}
	return p
}

// table writes rows of cells in columns of the given widths and
// alignments, one line each, from r's top-left, and returns the y below.
func (p *beyondPainter) table(x, y int, widths []int, aligns []BeyondAlign, rows [][]string, size float64, head bool, gap int) int {
	lh := beyondLine
	for ri, row := range rows {
		cx := x
		for ci, cell := range row {
			f, ink := BeyondRegular, BeyondInkText
			if head && ri == 0 {
				f, ink = BeyondRegular, BeyondInkMuted
			}
			p.text(image.Rect(cx, y, cx+widths[ci], y+lh), cell, size, f, ink, aligns[ci])
			cx += widths[ci] + gap
		}
		y += lh
		if head && ri == 0 {
			p.fill(image.Rect(x, y-2, cx-gap, y-1), BeyondInkLine)
		}
	}
	return y
}
