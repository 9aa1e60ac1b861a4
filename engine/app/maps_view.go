package app

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"math"
	"strconv"
	"strings"

	"convlab/engine/lesson"
	picfile "convlab/engine/lesson/picture"
	"convlab/engine/raster"
	"convlab/engine/tensor"
	"convlab/engine/ui"
)

// MapsMarkKind says what a mark draws.
type MapsMarkKind int

// Kinds of marks.
const (
	MapsFillMark    MapsMarkKind = iota // fill Rect
	MapsStrokeMark                      // outline Rect, Width units wide, inside it
	MapsTextMark                        // one line of Text in Rect: vertically centred, placed by Align
	MapsPictureMark                     // Pic scaled (nearest neighbour) to fill Rect
)

// MapsInk names a colour of the page's palette.
type MapsInk int

// Inks. MapsCustom uses the mark's Colour.
const (
	MapsInkText MapsInk = iota
	MapsInkMuted
	MapsInkAccent
	MapsInkWindow // the receptive field and the activation it makes
	MapsInkError
	MapsInkGood
	MapsInkPanel
	MapsInkLine
	MapsCustom
)

// MapsFont is a text style.
type MapsFont int

// Fonts.
const (
	MapsRegular MapsFont = iota
	MapsBold
	MapsMono
)

// MapsAlign places text horizontally in its rectangle.
type MapsAlign int

// Alignments.
const (
	MapsLeft MapsAlign = iota
	MapsCenter
	MapsRight
)

// MapsMark is one thing the page draws for the activation-maps screen, in
// layout units. The screen lists its marks in drawing order; the page
// draws them as they are, computing nothing.
type MapsMark struct {
	Kind   MapsMarkKind
	Rect   image.Rectangle
	Ink    MapsInk
	Colour color.RGBA // the colour when Ink is MapsCustom
	Width  float64    // MapsStroke: line width in units
	Text   string
	Size   float64 // text size in units
	Font   MapsFont
	Align  MapsAlign
	Pic    *MapsPicture
}

// MapsPicture is an image the page uploads once per Version and draws
// scaled: a heat map, a filter, the input.
type MapsPicture struct {
	Key     string      // names the picture; one GPU image per key
	Version int         // changes whenever Img does
	Img     *image.RGBA // tight: Stride = 4 * width, Rect.Min = (0, 0)
}

// pic returns the picture under key, making it with draw when it is new
// or when fresh is set. A remade picture that differs from the old one
// takes the current generation as its version, so the page uploads it
// again only when it changed.
func (s *MapsScreen) pic(key string, fresh bool, draw func() *image.RGBA) *MapsPicture {
	p := s.pics[key]
	if p == nil {
		p = &MapsPicture{Key: key}
		s.pics[key] = p
		fresh = true
	}
	if fresh {
		img := draw()
		if p.Img == nil || img.Rect != p.Img.Rect || !bytes.Equal(img.Pix, p.Img.Pix) {
			p.Img, p.Version = img, s.gen
		}
	}
	return p
}

// pictures remakes the pictures the current tab shows.
func (s *MapsScreen) pictures() {
	s.gen++
	m := s.m
	s.pic("input", true, func() *image.RGBA { return mapsInputImage(m.Input()) })
	s.pic("legend", false, func() *image.RGBA {
		img, _ := raster.ColourBar(-1, 1, raster.DivergingMap, 64, 1)
		return img
	})
	s.pic("legend-seq", false, func() *image.RGBA {
		img, _ := raster.ColourBar(0, 1, raster.Sequential, 64, 1)
		return img
	})
	for _, t := range s.lay.thumbs {
		// The student's picture can be replaced: remade every time (a
		// changed one is uploaded again).
		s.pic("thumb-"+t.id, t.id == lesson.Upload, func() *image.RGBA { return s.thumbImage(t.id) })
	}
	switch s.tab {
	case "maps":
		b := m.Bank()
		n := b.Channels() * b.K() * b.K()
		for f := 0; f < b.Filters(); f++ {
			s.pic("filter-"+strconv.Itoa(f), true, func() *image.RGBA {
				return raster.FilterImage(b.W.Data[f*n:(f+1)*n], b.Channels(), b.K())
			})
		}
		if out := m.Output(); out != nil {
			plane := out.Shape[1] * out.Shape[2]
			for f := 0; f < out.Shape[0]; f++ {
				sc := m.Scale(f)
				s.pic("map-"+strconv.Itoa(f), true, func() *image.RGBA {
					return raster.HeatMap(out.Data[f*plane:(f+1)*plane], out.Shape[2], out.Shape[1], -sc, sc, raster.DivergingMap)
				})
			}
		}
	case "stack":
		if st := m.Stack(); st != nil {
			for l, out := range st.Outputs {
				key := "stack-" + strconv.Itoa(l)
				_, s.limits[key] = raster.SymmetricRange(out.Data)
				s.pic(key, true, func() *image.RGBA { return mapsMosaic(out, s.lay.stackCols[l].cols, s.limits[key]) })
			}
		}
	case "compose":
		s.composePictures()
	}
}

// composePictures makes the composition check's kernels, outputs and the
// map of their difference.
func (s *MapsScreen) composePictures() {
	c := s.m.Composition()
	for i := 0; i < c.W1.Shape[0]; i++ {
		n := c.W1.Shape[1] * 9
		s.pic("comp-w1-"+strconv.Itoa(i), true, func() *image.RGBA {
			return raster.FilterImage(c.W1.Data[i*n:(i+1)*n], c.W1.Shape[1], c.W1.Shape[2])
		})
	}
	s.pic("comp-w2", true, func() *image.RGBA { return raster.FilterImage(c.W2.Data, c.W2.Shape[1], c.W2.Shape[2]) })
	if c.TwoStep == nil {
		return
	}
	// Each output on its own scale (its legend says which): with ReLU
	// between the convolutions the two-step output can be far fainter.
	h, w := c.OneStep.Shape[1], c.OneStep.Shape[2]
	for key, out := range map[string]*tensor.Tensor{"comp-two": c.TwoStep, "comp-one": c.OneStep} {
		_, lim := raster.SymmetricRange(out.Data)
		s.limits[key] = lim
		s.pic(key, true, func() *image.RGBA { return raster.HeatMap(out.Data, w, h, -lim, lim, raster.DivergingMap) })
	}
	s.pic("comp-diff", true, func() *image.RGBA {
		d := mapsDiff(c.TwoStep.Data, c.OneStep.Data)
		return raster.HeatMap(d, w, h, 0, c.MaxDiff, raster.Sequential)
	})
}

// mapsDiff returns |a − b| elementwise.
func mapsDiff(a, b []float32) []float32 {
	d := make([]float32, len(a))
	for i := range a {
		d[i] = float32(math.Abs(float64(a[i] - b[i])))
	}
	return d
}

// mapsInputImage draws a (C, H, W) picture with values in [0, 1]: grey for
// one channel, colour for three.
func mapsInputImage(x *tensor.Tensor) *image.RGBA {
	c, h, w := x.Shape[0], x.Shape[1], x.Shape[2]
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	byteOf := func(v float32) uint8 { return uint8(math.Round(float64(min(max(v, 0), 1)) * 255)) }
	for y := 0; y < h; y++ {
		for i := 0; i < w; i++ {
			r := byteOf(x.Data[y*w+i])
			g, b := r, r
			if c >= 3 {
				g, b = byteOf(x.Data[(h+y)*w+i]), byteOf(x.Data[(2*h+y)*w+i])
			}
			img.SetRGBA(i, y, color.RGBA{r, g, b, 255})
		}
	}
	return img
}

// mapsMosaic draws a layer's maps (C, H, W) side by side, cols to a row,
// one pixel apart, all on one diverging scale of ±lim.
func mapsMosaic(out *tensor.Tensor, cols int, lim float32) *image.RGBA {
	c, h, w := out.Shape[0], out.Shape[1], out.Shape[2]
	imgs := make([]image.Image, c)
	for i := range imgs {
		imgs[i] = raster.HeatMap(out.Data[i*h*w:(i+1)*h*w], w, h, -lim, lim, raster.DivergingMap)
	}
	return raster.Mosaic(imgs, cols, 1, color.RGBA{255, 255, 255, 255})
}

// thumbImage draws a thumbnail of input id.
func (s *MapsScreen) thumbImage(id string) *image.RGBA {
	if p, ok := s.m.Picture(); ok && id == lesson.Upload {
		x := tensor.New(3, lesson.PictureSide, lesson.PictureSide)
		for k, v := range p.Pixels {
			x.Data[k] = float32(v) * (1.0 / 255)
		}
		return mapsInputImage(x)
	}
	set, i := s.setOf(id)
	if set == nil {
		return image.NewRGBA(image.Rect(0, 0, 1, 1))
	}
	x := tensor.New(set.C, set.H, set.W)
	set.Image(i, x.Data)
	return mapsInputImage(x)
}

// Text sizes of the screen.
const (
	mapsBody = ui.TextSize
	mapsCap  = ui.SmallText
)

// mapsPainter collects marks.
type mapsPainter struct{ marks []MapsMark }

func (p *mapsPainter) fill(r image.Rectangle, ink MapsInk) {
	p.marks = append(p.marks, MapsMark{Kind: MapsFillMark, Rect: r, Ink: ink})
}

func (p *mapsPainter) fillColour(r image.Rectangle, c color.RGBA) {
	p.marks = append(p.marks, MapsMark{Kind: MapsFillMark, Rect: r, Ink: MapsCustom, Colour: c})
}

func (p *mapsPainter) stroke(r image.Rectangle, width float64, ink MapsInk) {
	p.marks = append(p.marks, MapsMark{Kind: MapsStrokeMark, Rect: r, Ink: ink, Width: width})
}

func (p *mapsPainter) picture(r image.Rectangle, pic *MapsPicture) {
	if pic != nil && pic.Img != nil {
		p.marks = append(p.marks, MapsMark{Kind: MapsPictureMark, Rect: r, Pic: pic})
	}
}

// text writes one line in r, cut short with "…" if it would not fit.
func (p *mapsPainter) text(r image.Rectangle, s string, size float64, font MapsFont, ink MapsInk, a MapsAlign) {
	if s == "" {
		return
	}
	p.marks = append(p.marks, MapsMark{Kind: MapsTextMark, Rect: r, Text: mapsFit(s, r.Dx(), size, font), Size: size,
		Font: font, Ink: ink, Align: a})
}

// para writes s wrapped to r's width from r's top, as many lines as fit,
// and returns the y below the last line.
func (p *mapsPainter) para(r image.Rectangle, s string, size float64, font MapsFont, ink MapsInk) int {
	lh := mapsParaLine(size)
	y := r.Min.Y
	for _, line := range mapsWrap(s, r.Dx(), size, font) {
		if y+lh > r.Max.Y {
			break
		}
		p.text(image.Rect(r.Min.X, y, r.Max.X, y+lh), line, size, font, ink, MapsLeft)
		y += lh
	}
	return y
}

// mapsEm is the advance of an average character, in ems, of each font: an
// estimate on the generous side, so text measured with it fits.
func mapsEm(font MapsFont) float64 {
	switch font {
	case MapsMono:
		return 0.6
	case MapsBold:
		return 0.55
	}
	return 0.5
}

// mapsTextW estimates the width of s in units.
func mapsTextW(s string, size float64, font MapsFont) int {
	return int(math.Ceil(float64(len([]rune(s))) * size * mapsEm(font)))
}

// mapsFit cuts s short with "…" so it fits in w units.
func mapsFit(s string, w int, size float64, font MapsFont) string {
	if mapsTextW(s, size, font) <= w {
		return s
	}
	rs := []rune(s)
	n := int(float64(w)/(size*mapsEm(font))) - 1
	if n <= 0 {
		return ""
	}
	return string(rs[:min(n, len(rs))]) + "…"
}

// mapsWrap breaks s into lines no wider than w units (a word longer than a
// line gets a line of its own).
func mapsWrap(s string, w int, size float64, font MapsFont) []string {
	var lines []string
	for _, para := range strings.Split(s, "\n") {
		line := ""
		for _, word := range strings.Fields(para) {
			try := word
			if line != "" {
				try = line + " " + word
			}
			if line != "" && mapsTextW(try, size, font) > w {
				lines = append(lines, line)
				line = word
			} else {
				line = try
			}
		}
		lines = append(lines, line)
	}
	return lines
}

// mapsTint returns the diverging colour of v on a scale of ±limit, faded
// halfway to white so that dark text on it stays readable.
func mapsTint(v, limit float32) color.RGBA {
	c := raster.Diverging(v, limit)
	fade := func(x uint8) uint8 { return uint8((int(x) + 255) / 2) }
	return color.RGBA{fade(c.R), fade(c.G), fade(c.B), 255}
}

// paint rebuilds the marks from the layout and the model.
func (s *MapsScreen) paint() {
	p := &mapsPainter{marks: s.marks[:0]}
	s.paintInput(p)
	for _, lb := range s.lay.labels {
		p.text(lb.r, lb.text, mapsCap, MapsRegular, MapsInkMuted, MapsLeft)
	}
	switch s.tab {
	case "stack":
		s.paintStack(p)
	case "compose":
		s.paintCompose(p)
	default:
		if s.editing >= 0 {
			s.paintEditor(p)
		} else {
			s.paintGrid(p)
		}
	}
	s.marks = p.marks
}

// paintInput draws the input column.
func (s *MapsScreen) paintInput(p *mapsPainter) {
	l := &s.lay
	m := s.m
	for _, t := range l.thumbs {
		p.picture(t.r, s.pics["thumb-"+t.id])
		if m.InputID() == t.id {
			p.stroke(t.r, 3, MapsInkAccent)
		} else {
			p.stroke(t.r, 1, MapsInkLine)
		}
	}
	for _, sw := range l.swatch {
		p.fill(sw.r, MapsInkLine)
		c := color.RGBA{A: 255}
		c.R = uint8(math.Round(float64(sw.ink[0]) * 255))
		c.G, c.B = c.R, c.R
		if len(sw.ink) == 3 {
			c.G, c.B = uint8(math.Round(float64(sw.ink[1])*255)), uint8(math.Round(float64(sw.ink[2])*255))
		}
		p.fillColour(ui.Inset(sw.r, 1), c)
		if pad := m.Pad(); pad != nil && mapsSameInk(pad.Ink, sw.ink) {
			p.stroke(sw.r, 3, MapsInkAccent)
		}
	}
	for _, b := range l.brushes {
		p.fill(b.r, MapsInkPanel)
		d := int(math.Round(float64(b.radius) * 2 * 4))
		c := image.Pt((b.r.Min.X+b.r.Max.X)/2, (b.r.Min.Y+b.r.Max.Y)/2)
		p.fill(image.Rect(c.X-d/2, c.Y-d/2, c.X-d/2+d, c.Y-d/2+d), MapsInkText)
		if pad := m.Pad(); pad != nil && pad.Radius == b.radius {
			p.stroke(b.r, 3, MapsInkAccent)
		} else {
			p.stroke(b.r, 1, MapsInkLine)
		}
	}
	shape := image.Rect(l.shapeAt.X, l.shapeAt.Y, l.shapeAt.X+mapsColA, l.shapeAt.Y+mapsLine)
	if len(l.brushes) > 0 {
		shape.Max.X = l.brushes[0].r.Min.X - ui.Gap
	}
	words, size := "input "+m.InputShape(), mapsBody
	if len(l.brushes) > 0 {
		words, size = m.InputShape(), mapsCap // beside the brushes: the shape alone, smaller
	}
	if pic, ok := m.Picture(); ok && m.InputID() == lesson.Upload {
		// The shape in bold, the file's name after it, cut short to fit.
		p.text(shape, m.InputShape(), mapsBody, MapsBold, MapsInkText, MapsLeft)
		w := mapsTextW(m.InputShape()+" ", mapsBody, MapsBold)
		p.text(image.Rect(shape.Min.X+w, shape.Min.Y, shape.Max.X, shape.Max.Y), pic.Name, mapsCap, MapsRegular, MapsInkMuted, MapsLeft)
	} else {
		p.text(shape, words, size, MapsBold, MapsInkText, MapsLeft)
	}

	// The padding ring, in the colour the filters read there.
	if m.Padding() > 0 {
		zero := color.RGBA{0, 0, 0, 255}
		if m.Centred() {
			zero = color.RGBA{128, 128, 128, 255}
		}
		p.fillColour(l.view, zero)
		p.stroke(l.view, 1, MapsInkLine)
	}
	p.picture(l.pic, s.pics["input"])
	p.stroke(l.pic, 1, MapsInkLine)
	if field, ok := s.shownField(); ok {
		r := s.inputRect(field)
		p.stroke(r, 3, MapsInkWindow)
	}
	switch {
	case s.reading != nil:
		s.paintNote(p, l.view, "Reading "+picfile.Name(s.reading.name)+"…", MapsInkText)
	case s.errCell == "upload":
		s.paintNote(p, l.view, m.Message(), MapsInkError)
	}
}

// paintNote writes a note in a box across the top of r: a picture file
// being read, or why one was refused (the input below it is unchanged).
func (s *MapsScreen) paintNote(p *mapsPainter, r image.Rectangle, note string, ink MapsInk) {
	lines := mapsWrap(note, r.Dx()-2*ui.U, mapsCap, MapsRegular)
	box := image.Rect(r.Min.X, r.Min.Y, r.Max.X, r.Min.Y+min(r.Dy(), len(lines)*mapsParaLine(mapsCap)+ui.U))
	mapsBox(p, box, note, ink)
}

// inputRect returns the layout rectangle of a region of input pixels
// (which may reach into the padding).
func (s *MapsScreen) inputRect(f image.Rectangle) image.Rectangle {
	l := &s.lay
	at := func(n int, base int) int { return base + int(math.Round(float64(n)*l.px)) }
	return image.Rect(at(f.Min.X, l.pic.Min.X), at(f.Min.Y, l.pic.Min.Y), at(f.Max.X, l.pic.Min.X), at(f.Max.Y, l.pic.Min.Y)).
		Intersect(l.view)
}

// shownField returns the receptive field to outline on the input: the
// hovered activation's, or the clicked one's.
func (s *MapsScreen) shownField() (image.Rectangle, bool) {
	h := s.hover
	if h.on && h.stack {
		if st := s.m.Stack(); st != nil {
			return st.ReceptiveField(h.L, h.I, h.J), true
		}
	}
	if s.tab != "maps" {
		return image.Rectangle{}, false
	}
	if p, ok := s.shownProbe(); ok {
		return p.Field, true
	}
	return image.Rectangle{}, false
}

// shownProbe returns the probe the maps tab shows: the hovered activation,
// else the clicked one.
func (s *MapsScreen) shownProbe() (lesson.Probe, bool) {
	if h := s.hover; h.on && !h.stack && h.probed {
		return h.probe, true
	}
	return s.m.Selected()
}

// paintGrid draws the filters above their maps, the legends and the probe.
func (s *MapsScreen) paintGrid(p *mapsPainter) {
	m := s.m
	b := m.Bank()
	s.paintShapeLine(p)
	probe, probing := s.shownProbe()
	for _, c := range s.lay.cols {
		p.text(c.name, strconv.Itoa(c.f+1)+" "+b.Names[c.f], mapsCap, MapsRegular, MapsInkMuted, MapsCenter)
		s.paintFilter(p, c.filter, c.f)
		if m.Output() == nil {
			continue
		}
		s.paintMap(p, c, probing && probe.F == c.f, probe)
	}
	s.paintProbe(p, s.lay.probe, probe, probing, mapsBody)
}

// paintShapeLine writes the output shape and how OutputSize makes it, or
// why there are no maps.
func (s *MapsScreen) paintShapeLine(p *mapsPainter) {
	m := s.m
	r := s.lay.shapeLine
	if m.Output() == nil {
		p.para(image.Rect(r.Min.X, r.Min.Y, r.Max.X, r.Max.Y+ui.U), "No maps: "+m.ShapeError(), mapsCap, MapsBold, MapsInkError)
		return
	}
	b := m.Bank()
	in := m.Input().Shape
	top := image.Rect(r.Min.X, r.Min.Y, r.Max.X, r.Min.Y+mapsLine+ui.U/2)
	p.text(top, fmt.Sprintf("%s filters on %s → %s", m.FilterShape(), m.InputShape(), m.OutputShape()), mapsBody, MapsBold, MapsInkText, MapsLeft)
	p.text(image.Rect(r.Min.X, top.Max.Y, r.Max.X, r.Max.Y), fmt.Sprintf("(W − K + 2P)/S + 1 = (%d − %d + 2·%d)/%d + 1 = %d",
		in[2], b.K(), m.Padding(), m.Stride(), m.Output().Shape[2]), mapsCap, MapsMono, MapsInkMuted, MapsLeft)
}

// paintFilter draws filter f's picture in r, framed, accented when open.
func (s *MapsScreen) paintFilter(p *mapsPainter, r image.Rectangle, f int) {
	p.fill(r, MapsInkLine)
	p.picture(ui.Inset(r, 1), s.pics["filter-"+strconv.Itoa(f)])
	if s.editing == f {
		p.stroke(r, 3, MapsInkAccent)
	}
}

// paintMap draws a map with its frame and legend, and the probed
// activation's square when it is on this map.
func (s *MapsScreen) paintMap(p *mapsPainter, c mapsColumn, probed bool, probe lesson.Probe) {
	m := s.m
	p.picture(c.mp, s.pics["map-"+strconv.Itoa(c.f)])
	p.stroke(c.mp, 1, MapsInkLine)
	if probed {
		out := m.Output()
		at := func(n, size, lo, span int) int { return lo + int(math.Round(float64(n)*float64(span)/float64(size))) }
		r := image.Rect(at(probe.J, out.Shape[2], c.mp.Min.X, c.mp.Dx()), at(probe.I, out.Shape[1], c.mp.Min.Y, c.mp.Dy()),
			at(probe.J+1, out.Shape[2], c.mp.Min.X, c.mp.Dx()), at(probe.I+1, out.Shape[1], c.mp.Min.Y, c.mp.Dy()))
		p.stroke(ui.Inset(r, -2), 2, MapsInkWindow)
	}
	s.paintLegend(p, c.legend, m.Scale(c.f), "legend")
}

// paintLegend draws a colour bar for −lim..lim (or 0..lim for the
// sequential one) with its tick labels below it.
func (s *MapsScreen) paintLegend(p *mapsPainter, r image.Rectangle, lim float32, key string) {
	bar := image.Rect(r.Min.X, r.Min.Y, r.Max.X, r.Min.Y+ui.U+ui.U/2)
	p.picture(bar, s.pics[key])
	p.stroke(bar, 1, MapsInkLine)
	lo := -lim
	if key == "legend-seq" {
		lo = 0
	}
	var ticks []float32
	if lim > 0 {
		ticks = []float32{lo, (lo + lim) / 2, lim}
	}
	size := float64(mapsCap) * 0.85
	w := bar.Dx() / 3
	for i, v := range ticks {
		x := bar.Min.X + int(float64(i)/2*float64(bar.Dx()))
		tr := image.Rect(x-w/2, bar.Max.Y, x+w/2, r.Max.Y)
		a := MapsCenter
		switch i {
		case 0:
			tr, a = image.Rect(bar.Min.X, bar.Max.Y, bar.Min.X+w, r.Max.Y), MapsLeft
		case 2:
			tr, a = image.Rect(bar.Max.X-w, bar.Max.Y, bar.Max.X, r.Max.Y), MapsRight
		}
		p.text(tr, mapsShort(v), size, MapsRegular, MapsInkMuted, a)
	}
}

// mapsShort writes a number for a legend or a small cell: two significant
// digits, three decimals between 0.001 and 0.01, and one significant digit
// in e-notation below that, so a tiny value never reads as 0.
func mapsShort(v float32) string {
	if v == 0 {
		return "0"
	}
	a := math.Abs(float64(v))
	var s string
	switch {
	case a >= 100:
		s = strconv.FormatFloat(a, 'f', 0, 64)
	case a >= 0.01:
		s = strconv.FormatFloat(a, 'g', 2, 64)
	case a >= 0.001:
		s = strconv.FormatFloat(a, 'f', 3, 64)
	default: // one significant digit, so it fits a cell and never reads as 0
		mant, exp, _ := strings.Cut(strconv.FormatFloat(a, 'e', 0, 64), "e") // "7", "-04"
		sign := ""
		if exp[0] == '-' {
			sign = lesson.Minus
		}
		s = mant + "e" + sign + strings.TrimLeft(exp[1:], "0")
	}
	if v < 0 {
		return lesson.Minus + s
	}
	return s
}

// paintProbe writes what the probed activation is and how it is made, or
// how to probe one.
func (s *MapsScreen) paintProbe(p *mapsPainter, r image.Rectangle, pr lesson.Probe, ok bool, size float64) {
	if r.Empty() {
		return
	}
	m := s.m
	if m.Output() == nil {
		return
	}
	if !ok {
		p.para(r, "Blue is negative, white 0, red positive. Hover over a map to see one activation: its value, the patch of the "+
			"input it sees (outlined on the input) and the dot product that makes it. Click to keep it shown.", size, MapsRegular, MapsInkMuted)
		return
	}
	out := m.Output()
	b := m.Bank()
	head := fmt.Sprintf("Map %d (%s), row %d of %d, column %d of %d: %s", pr.F+1, b.Names[pr.F], pr.I+1, out.Shape[1],
		pr.J+1, out.Shape[2], lesson.FormatNumber(pr.Value))
	y := p.para(r, head, size, MapsBold, MapsInkText)
	if m.ReLU() {
		y = p.para(image.Rect(r.Min.X, y, r.Max.X, r.Max.Y), fmt.Sprintf("ReLU: max(0, %s) = %s", lesson.FormatNumber(pr.PreReLU),
			lesson.FormatNumber(pr.Value)), mapsCap, MapsRegular, MapsInkText)
	}
	y = p.para(image.Rect(r.Min.X, y, r.Max.X, r.Max.Y), pr.Dot.Brief(), mapsCap, MapsMono, MapsInkText)
	y = p.para(image.Rect(r.Min.X, y, r.Max.X, r.Max.Y), mapsSentence(pr.Dot.Reason()), mapsCap, MapsRegular, MapsInkText)
	f := pr.Field
	where := fmt.Sprintf("It sees input rows %d–%d, columns %d–%d: %d x %d x %d = %d values, outlined on the input.",
		f.Min.Y+1, f.Max.Y, f.Min.X+1, f.Max.X, pr.Dot.Channels, f.Dy(), f.Dx(), len(pr.Dot.Terms))
	if pr.Visible != pr.Field {
		where += " Part of it lies on the zero padding."
	}
	if m.Centred() {
		where += " The filters see each pixel minus 0.5, as the trained network did."
	}
	if sel, ok := m.Selected(); ok && sel.F == pr.F && sel.I == pr.I && sel.J == pr.J {
		where += " Clicked: it stays shown (click it again to let go)."
	}
	p.para(image.Rect(r.Min.X, y, r.Max.X, r.Max.Y), where, mapsCap, MapsRegular, MapsInkMuted)
}

// mapsSentence capitalises s and ends it with a full stop.
func mapsSentence(s string) string {
	if s == "" {
		return s
	}
	s = mapsCapital(s)
	if !strings.HasSuffix(s, ".") {
		s += "."
	}
	return s
}

// mapsCapital returns s with its first letter in upper case.
func mapsCapital(s string) string {
	if s == "" {
		return s
	}
	r := []rune(s)
	return strings.ToUpper(string(r[0])) + string(r[1:])
}

// paintEditor draws the open filter: the strip of the bank, the header,
// the cells of its weights and bias, a refusal next to its cell, and its
// map with the probe.
func (s *MapsScreen) paintEditor(p *mapsPainter) {
	l := &s.lay
	m := s.m
	b := m.Bank()
	f := s.editing
	for _, c := range l.strip {
		s.paintFilter(p, c.filter, c.f)
	}
	head := fmt.Sprintf("Filter %d of %d, %s: %s weights and a bias", f+1, b.Filters(), b.Names[f], tensor.ShapeString(b.W.Shape[1:]))
	if b.Channels() > 1 {
		head += ", " + mapsChannelName(s.channel, b.Channels()) + " channel shown"
	}
	p.text(l.header, head, mapsBody, MapsBold, MapsInkText, MapsLeft)
	_, lim := raster.SymmetricRange(b.W.Data[f*b.Channels()*b.K()*b.K() : (f+1)*b.Channels()*b.K()*b.K()])
	size := min(float64(mapsCap), float64(l.cellSz)*0.3)
	for _, c := range l.cells {
		w := b.W.At(c.f, c.c, c.u, c.v)
		p.fillColour(c.r, mapsTint(w, lim))
		p.stroke(c.r, 1, MapsInkLine)
		p.text(c.r, lesson.FormatNumber(w), size, MapsRegular, MapsInkText, MapsCenter)
	}
	p.stroke(l.grid, 2, MapsInkText)
	p.fill(l.bias, MapsInkPanel)
	p.stroke(l.bias, 2, MapsInkText)
	p.text(l.bias, lesson.FormatNumber(b.B[f]), mapsCap, MapsRegular, MapsInkText, MapsCenter)
	if s.errCell != "" && s.errCell != "upload" {
		s.paintRefusal(p)
	}
	probe, probing := s.shownProbe()
	if m.Output() != nil {
		s.paintMap(p, l.big, probing && probe.F == f, probe)
		s.paintProbe(p, l.bigText, probe, probing && probe.F == f, mapsCap)
	} else {
		p.para(l.big.mp, "No maps: "+m.ShapeError(), mapsCap, MapsBold, MapsInkError)
	}
}

// paintRefusal writes the last refusal in a box next to the cell it
// belongs to, over the grid (whose cells the page leaves transparent).
func (s *MapsScreen) paintRefusal(p *mapsPainter) {
	l := &s.lay
	r := l.bias
	for _, c := range l.cells {
		if c.name == s.errCell {
			r = c.r
		}
	}
	lines := mapsWrap(s.m.Message(), l.grid.Dx()-2*ui.U, mapsCap, MapsRegular)
	h := len(lines)*int(math.Ceil(mapsCap*1.35)) + ui.U
	box := image.Rect(l.grid.Min.X, r.Max.Y+ui.U/2, max(l.grid.Max.X, l.grid.Min.X+27*ui.U), r.Max.Y+ui.U/2+h)
	if r == l.bias || box.Max.Y > l.grid.Max.Y+ui.Control {
		box = box.Add(image.Pt(0, r.Min.Y-ui.U-box.Max.Y))
	}
	mapsBox(p, box, s.m.Message(), MapsInkError)
}

// mapsBox writes a note in box: a refusal in red on pink, other notes on
// the panel colour.
func mapsBox(p *mapsPainter, box image.Rectangle, note string, ink MapsInk) {
	if ink == MapsInkError {
		p.fillColour(box, color.RGBA{0xfe, 0xe2, 0xe2, 0xff})
	} else {
		p.fill(box, MapsInkPanel)
	}
	p.stroke(box, 2, ink)
	p.para(ui.Inset(box, ui.U/2), note, mapsCap, MapsRegular, ink)
}

// paintStack draws slide 23's stack: each layer's maps and shapes, the
// table of shapes, and the hovered unit's receptive field.
func (s *MapsScreen) paintStack(p *mapsPainter) {
	l := &s.lay
	m := s.m
	st := m.Stack()
	relu := "without ReLU between the layers"
	if m.ReLU() {
		relu = "with a ReLU after each layer"
	}
	if st == nil {
		p.para(l.stackHead, "No stack for this input: "+m.StackError(), mapsBody, MapsBold, MapsInkError)
		return
	}
	p.para(l.stackHead, fmt.Sprintf("Slide 23: a %s input through three convolutions, %s. Each layer's filters span "+
		"every channel of its input, so its output has one map per filter.", m.InputShape(), relu), mapsCap, MapsRegular, MapsInkText)
	for i, c := range l.stackCols {
		ly := st.Layers[i]
		p.text(c.title, fmt.Sprintf("Layer %d: %d filters %d x %d", i+1, ly.Out[0], ly.W.Shape[2], ly.W.Shape[3]), mapsCap, MapsBold, MapsInkText, MapsCenter)
		p.picture(c.mosaic, s.pics["stack-"+strconv.Itoa(i)])
		p.stroke(c.mosaic, 1, MapsInkLine)
		s.paintLegend(p, c.legend, s.limits["stack-"+strconv.Itoa(i)], "legend")
		p.text(c.out, st.OutputShape(i), mapsBody, MapsBold, MapsInkAccent, MapsCenter)
		if h := s.hover; h.on && h.stack && h.L == i {
			p.stroke(ui.Inset(s.mosaicCell(i, h.F, h.I, h.J), -2), 2, MapsInkWindow)
		}
	}
	// The table of shapes.
	t := l.stackTable
	heads := []string{"Layer", "Weights W", "Bias b", "Output", "Batch form", "Sees"}
	xs := []int{0, 9, 30, 37, 54, 106} // column starts in units of U
	rowH := 4 * ui.U
	for j, h := range heads {
		x := t.Min.X + xs[j]*ui.U
		p.text(image.Rect(x, t.Min.Y, min(x+40*ui.U, t.Max.X), t.Min.Y+rowH), h, mapsCap, MapsBold, MapsInkMuted, MapsLeft)
	}
	p.fill(image.Rect(t.Min.X, t.Min.Y+rowH-1, t.Max.X, t.Min.Y+rowH), MapsInkLine)
	for i := range st.Layers {
		y := t.Min.Y + (i+1)*rowH
		rf := st.ReceptiveSize(i)
		cells := []string{strconv.Itoa(i + 1), st.WeightShape(i), st.BiasShape(i), st.OutputShape(i), st.BatchForm(i),
			fmt.Sprintf("%d x %d", rf, rf)}
		for j, v := range cells {
			x := t.Min.X + xs[j]*ui.U
			end := t.Max.X
			if j+1 < len(xs) {
				end = t.Min.X + xs[j+1]*ui.U - ui.U
			}
			font := MapsRegular
			if j > 0 && j < 5 {
				font = MapsMono
			}
			p.text(image.Rect(x, y, end, y+rowH), v, mapsCap, font, MapsInkText, MapsLeft)
		}
	}
	info := "Hover over a layer's maps: one unit of layer 1 sees 5 x 5 input pixels, of layer 2 7 x 7, of layer 3 9 x 9 (outlined on the input)."
	if h := s.hover; h.on && h.stack {
		f := st.ReceptiveField(h.L, h.I, h.J)
		info = fmt.Sprintf("Layer %d, map %d, row %d, column %d depends on input rows %d–%d, columns %d–%d: %d x %d pixels, outlined on the input.",
			h.L+1, h.F+1, h.I+1, h.J+1, f.Min.Y+1, f.Max.Y, f.Min.X+1, f.Max.X, f.Dy(), f.Dx())
	}
	p.para(l.stackInfo, info, mapsBody, MapsRegular, MapsInkText)
}

// mosaicCell returns the layout rectangle of unit (i, j) of map f in layer
// l's mosaic.
func (s *MapsScreen) mosaicCell(l, f, i, j int) image.Rectangle {
	c := s.lay.stackCols[l]
	out := s.m.Stack().Outputs[l]
	h, w := out.Shape[1], out.Shape[2]
	rows := (out.Shape[0] + c.cols - 1) / c.cols
	pw, ph := c.cols*(w+1)-1, rows*(h+1)-1
	x := (f%c.cols)*(w+1) + j
	y := (f/c.cols)*(h+1) + i
	sx := float64(c.mosaic.Dx()) / float64(pw)
	sy := float64(c.mosaic.Dy()) / float64(ph)
	return image.Rect(c.mosaic.Min.X+int(float64(x)*sx), c.mosaic.Min.Y+int(float64(y)*sy),
		c.mosaic.Min.X+int(math.Ceil(float64(x+1)*sx)), c.mosaic.Min.Y+int(math.Ceil(float64(y+1)*sy)))
}

// paintCompose draws slide 25's check.
func (s *MapsScreen) paintCompose(p *mapsPainter) {
	l := &s.lay
	m := s.m
	c := m.Composition()
	sh := tensor.ShapeString
	between := "with nothing between them, make"
	if c.ReLU {
		between = "with a ReLU between them: without it they would make"
	}
	p.para(l.compText, fmt.Sprintf("Two 3x3 convolutions, W1 (%s) then W2 (%s), %s one 5x5 convolution W (%s): "+
		"each weight of W sums the products of the weights of W2 and W1 that line up.", sh(c.W1.Shape), sh(c.W2.Shape), between, sh(c.W.Shape)),
		mapsCap, MapsRegular, MapsInkText)
	capH := l.compLabel
	above := func(r image.Rectangle, w int) image.Rectangle {
		return image.Rect(r.Min.X, r.Min.Y-capH, r.Min.X+w, r.Min.Y)
	}
	if len(l.compW1) > 0 {
		p.text(above(l.compW1[0], l.compW1[len(l.compW1)-1].Max.X-l.compW1[0].Min.X+4*ui.U), "W1 "+sh(c.W1.Shape), mapsCap, MapsBold, MapsInkText, MapsLeft)
	}
	for i, r := range l.compW1 {
		p.picture(r, s.pics["comp-w1-"+strconv.Itoa(i)])
		p.stroke(r, 1, MapsInkLine)
	}
	p.text(above(l.compW2, l.compW2.Dx()+4*ui.U), "then W2 "+sh(c.W2.Shape), mapsCap, MapsBold, MapsInkText, MapsLeft)
	p.picture(l.compW2, s.pics["comp-w2"])
	p.stroke(l.compW2, 1, MapsInkLine)
	k := c.W.Shape[2]
	_, lim := raster.SymmetricRange(c.W.Data)
	for ch, r := range l.compKern {
		name := mapsChannelName(ch, c.W.Shape[1])
		if ch == 0 {
			name = "= W: " + name
			if c.W.Shape[1] == 1 {
				name = "= W"
			}
		}
		ink := MapsInkMuted
		if ch == 0 {
			ink = MapsInkAccent
		}
		p.text(above(r, r.Dx()), name, mapsCap, MapsBold, ink, MapsLeft)
		cw, chh := r.Dx()/k, r.Dy()/k
		for u := 0; u < k; u++ {
			for v := 0; v < k; v++ {
				cr := image.Rect(r.Min.X+v*cw, r.Min.Y+u*chh, r.Min.X+(v+1)*cw, r.Min.Y+(u+1)*chh)
				w := c.W.At(0, ch, u, v)
				p.fillColour(cr, mapsTint(w, lim))
				p.text(cr, mapsShort(w), min(float64(mapsCap)*0.75, float64(cw)/3.2), MapsMono, MapsInkText, MapsCenter)
			}
		}
		p.stroke(r, 1, MapsInkLine)
	}
	if c.TwoStep == nil {
		p.para(l.compVerd, "The check cannot run on this input: "+m.CompositionError(), mapsBody, MapsBold, MapsInkError)
		return
	}
	two := "Two steps: W1, W2"
	if c.ReLU {
		two = "W1, ReLU, W2"
	}
	caps := []string{two, "One step: W", "|difference|"}
	keys := []string{"comp-two", "comp-one", "comp-diff"}
	for i, r := range l.compOut {
		p.text(above(r, r.Dx()+3*ui.U), caps[i], mapsCap, MapsBold, MapsInkText, MapsLeft)
		p.picture(r, s.pics[keys[i]])
		p.stroke(r, 1, MapsInkLine)
		if i < 2 {
			s.paintLegend(p, l.compLeg[i], s.limits[keys[i]], "legend")
		} else {
			s.paintLegend(p, l.compLeg[i], c.MaxDiff, "legend-seq")
		}
	}
	v := l.compVerd
	y := p.para(v, "Both outputs "+sh(c.OneStep.Shape)+"; largest difference:", mapsCap, MapsBold, MapsInkText)
	big := image.Rect(v.Min.X, y, v.Max.X, y+5*ui.U)
	ink := MapsInkGood
	verdict := "The same up to float32 rounding: two convolutions with nothing between them are one 5x5 convolution."
	switch {
	case c.ReLU && c.MaxDiff > 1e-3:
		ink = MapsInkError
		verdict = "Not the same: ReLU cut some of the middle's values to 0, which no single convolution can do. " +
			"The nonlinearity is what makes a deeper network more than one convolution."
	case c.ReLU:
		verdict = "Still the same on this input: ReLU found nothing negative to cut. Try other kernels or another input."
	case c.MaxDiff > 1e-3:
		ink = MapsInkWindow
		verdict = fmt.Sprintf("The same inside (largest difference %s away from the border), not on the border %d pixel(s) wide: "+
			"there the second convolution reads the middle's zero padding, which is not an output of the first.",
			lesson.FormatNumber(c.MaxDiffInterior), c.Pad2)
	}
	p.text(big, lesson.FormatNumber(c.MaxDiff), 4*ui.U, MapsBold, ink, MapsLeft)
	p.para(image.Rect(v.Min.X, big.Max.Y+ui.U, v.Max.X, v.Max.Y), verdict, mapsCap, MapsRegular, ink)
}
