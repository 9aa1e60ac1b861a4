package app

import (
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

// pic returns the picture under key, making it with draw when it is new
// or when fresh is set. A remade picture that differs from the old one
// takes the current generation as its version, so the page uploads it
// again only when it changed.
func (s *MapsScreen) pic(key string, fresh bool, draw func() *image.RGBA) *Picture {
	return cachedPic(s.pics, key, key, s.gen, fresh, draw)
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

// mapsTint returns the diverging colour of v on a scale of ±limit, faded
// halfway to white so that dark text on it stays readable.
func mapsTint(v, limit float32) color.RGBA {
	c := raster.Diverging(v, limit)
	fade := func(x uint8) uint8 { return uint8((int(x) + 255) / 2) }
	return color.RGBA{fade(c.R), fade(c.G), fade(c.B), 255}
}

// paint rebuilds the marks from the layout and the model.
func (s *MapsScreen) paint() {
	p := &painter{marks: s.marks[:0]}
	s.paintInput(p)
	for _, lb := range s.lay.labels {
		p.text(lb.r, lb.text, mapsCap, FontRegular, InkMuted, AlignLeft)
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
	s.marks, s.dropped = p.marks, p.dropped
}

// paintInput draws the input column.
func (s *MapsScreen) paintInput(p *painter) {
	l := &s.lay
	m := s.m
	for _, t := range l.thumbs {
		p.picture(t.r, s.pics["thumb-"+t.id])
		if m.InputID() == t.id {
			p.stroke(t.r, 3, InkAccent)
		} else {
			p.stroke(t.r, 1, InkLine)
		}
	}
	for _, sw := range l.swatch {
		p.fill(sw.r, InkLine)
		c := color.RGBA{A: 255}
		c.R = uint8(math.Round(float64(sw.ink[0]) * 255))
		c.G, c.B = c.R, c.R
		if len(sw.ink) == 3 {
			c.G, c.B = uint8(math.Round(float64(sw.ink[1])*255)), uint8(math.Round(float64(sw.ink[2])*255))
		}
		p.fillColour(ui.Inset(sw.r, 1), c)
		if pad := m.Pad(); pad != nil && mapsSameInk(pad.Ink, sw.ink) {
			p.stroke(sw.r, 3, InkAccent)
		}
	}
	for _, b := range l.brushes {
		p.fill(b.r, InkPanel)
		d := int(math.Round(float64(b.radius) * 2 * 4))
		c := image.Pt((b.r.Min.X+b.r.Max.X)/2, (b.r.Min.Y+b.r.Max.Y)/2)
		p.fill(image.Rect(c.X-d/2, c.Y-d/2, c.X-d/2+d, c.Y-d/2+d), InkText)
		if pad := m.Pad(); pad != nil && pad.Radius == b.radius {
			p.stroke(b.r, 3, InkAccent)
		} else {
			p.stroke(b.r, 1, InkLine)
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
		p.text(shape, m.InputShape(), mapsBody, FontBold, InkText, AlignLeft)
		w := textW(m.InputShape()+" ", mapsBody, FontBold)
		p.text(image.Rect(shape.Min.X+w, shape.Min.Y, shape.Max.X, shape.Max.Y), pic.Name, mapsCap, FontRegular, InkMuted, AlignLeft)
	} else {
		p.text(shape, words, size, FontBold, InkText, AlignLeft)
	}

	// The padding ring, in the colour the filters read there.
	if m.Padding() > 0 {
		zero := color.RGBA{0, 0, 0, 255}
		if m.Centred() {
			zero = color.RGBA{128, 128, 128, 255}
		}
		p.fillColour(l.view, zero)
		p.stroke(l.view, 1, InkLine)
	}
	p.picture(l.pic, s.pics["input"])
	p.stroke(l.pic, 1, InkLine)
	if field, ok := s.shownField(); ok {
		r := s.inputRect(field)
		p.stroke(r, 3, InkWindow)
	}
	switch {
	case s.reading != nil:
		// Not "…" at the end: on the page that means words cut short.
		s.paintNote(p, l.view, "Reading "+picfile.Name(s.reading.name)+": one moment.", InkText)
	case s.errCell == "upload":
		s.paintNote(p, l.view, m.Message(), InkError)
	}
}

// paintNote writes a note in a box across the top of r: a picture file
// being read, or why one was refused (the input below it is unchanged).
func (s *MapsScreen) paintNote(p *painter, r image.Rectangle, note string, ink Ink) {
	lines := wrapText(note, r.Dx()-2*ui.U, mapsCap, FontRegular)
	box := image.Rect(r.Min.X, r.Min.Y, r.Max.X, r.Min.Y+min(r.Dy(), len(lines)*paraLine(mapsCap)+ui.U))
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
func (s *MapsScreen) paintGrid(p *painter) {
	m := s.m
	b := m.Bank()
	s.paintShapeLine(p)
	probe, probing := s.shownProbe()
	for _, c := range s.lay.cols {
		p.text(c.name, mapsFilterLabel(c.f, b.Names[c.f]), mapsCap, FontRegular, InkMuted, AlignCenter)
		s.paintFilter(p, c.filter, c.f)
		if m.Output() == nil {
			continue
		}
		s.paintMap(p, c, probing && probe.F == c.f, probe)
	}
	s.paintProbe(p, s.lay.probe, probe, probing, mapsBody)
}

// mapsFilterLabel is the label above filter f named name: its number and
// name, "2 vertical edge", or the name alone when it ends with the number
// already, "learned 10".
func mapsFilterLabel(f int, name string) string {
	n := strconv.Itoa(f + 1)
	if strings.HasSuffix(name, " "+n) {
		return name
	}
	return n + " " + name
}

// paintShapeLine writes the output shape and how OutputSize makes it, or
// why there are no maps.
func (s *MapsScreen) paintShapeLine(p *painter) {
	m := s.m
	r := s.lay.shapeLine
	if m.Output() == nil {
		p.para(image.Rect(r.Min.X, r.Min.Y, r.Max.X, r.Max.Y+ui.U), "No maps: "+m.ShapeError(), mapsCap, FontBold, InkError)
		return
	}
	b := m.Bank()
	in := m.Input().Shape
	top := image.Rect(r.Min.X, r.Min.Y, r.Max.X, r.Min.Y+mapsLine+ui.U/2)
	p.text(top, fmt.Sprintf("%s filters on %s → %s", m.FilterShape(), m.InputShape(), m.OutputShape()), mapsBody, FontBold, InkText, AlignLeft)
	p.text(image.Rect(r.Min.X, top.Max.Y, r.Max.X, r.Max.Y), fmt.Sprintf("(W − K + 2P)/S + 1 = (%d − %d + 2·%d)/%d + 1 = %d",
		in[2], b.K(), m.Padding(), m.Stride(), m.Output().Shape[2]), mapsCap, FontMono, InkMuted, AlignLeft)
}

// paintFilter draws filter f's picture in r, framed, accented when open.
func (s *MapsScreen) paintFilter(p *painter, r image.Rectangle, f int) {
	p.fill(r, InkLine)
	p.picture(ui.Inset(r, 1), s.pics["filter-"+strconv.Itoa(f)])
	if s.editing == f {
		p.stroke(r, 3, InkAccent)
	}
}

// paintMap draws a map with its frame and legend, and the probed
// activation's square when it is on this map.
func (s *MapsScreen) paintMap(p *painter, c mapsColumn, probed bool, probe lesson.Probe) {
	m := s.m
	p.picture(c.mp, s.pics["map-"+strconv.Itoa(c.f)])
	p.stroke(c.mp, 1, InkLine)
	if probed {
		out := m.Output()
		at := func(n, size, lo, span int) int { return lo + int(math.Round(float64(n)*float64(span)/float64(size))) }
		r := image.Rect(at(probe.J, out.Shape[2], c.mp.Min.X, c.mp.Dx()), at(probe.I, out.Shape[1], c.mp.Min.Y, c.mp.Dy()),
			at(probe.J+1, out.Shape[2], c.mp.Min.X, c.mp.Dx()), at(probe.I+1, out.Shape[1], c.mp.Min.Y, c.mp.Dy()))
		p.stroke(ui.Inset(r, -2).Intersect(s.r), 2, InkWindow)
	}
	s.paintLegend(p, c.legend, m.Scale(c.f), "legend")
}

// paintLegend draws a colour bar for −lim..lim (or 0..lim for the
// sequential one) with its tick labels below it.
func (s *MapsScreen) paintLegend(p *painter, r image.Rectangle, lim float32, key string) {
	bar := image.Rect(r.Min.X, r.Min.Y, r.Max.X, r.Min.Y+ui.U+ui.U/2)
	p.picture(bar, s.pics[key])
	p.stroke(bar, 1, InkLine)
	lo := -lim
	if key == "legend-seq" {
		lo = 0
	}
	if lim <= 0 {
		return
	}
	// The ends' labels start at the bar's ends, the middle one is centred;
	// each box is as wide as its words. The middle is left out when the
	// three do not fit with a gap between them.
	size := float64(mapsCap) * 0.85
	words := [3]string{mapsShort(lo), mapsShort((lo + lim) / 2), mapsShort(lim)}
	var ws [3]int
	for i, t := range words {
		ws[i] = textW(t, size, FontRegular)
	}
	mid := (bar.Min.X + bar.Max.X) / 2
	if bar.Min.X+ws[0]+ui.U > mid-ws[1]/2-1 || mid+ws[1]/2+1+ui.U > bar.Max.X-ws[2] {
		words[1] = ""
	}
	boxes := [3]image.Rectangle{
		image.Rect(bar.Min.X, bar.Max.Y, bar.Min.X+ws[0], r.Max.Y),
		image.Rect(mid-ws[1]/2-1, bar.Max.Y, mid+ws[1]/2+1, r.Max.Y),
		image.Rect(bar.Max.X-ws[2], bar.Max.Y, bar.Max.X, r.Max.Y),
	}
	for i, a := range []Align{AlignLeft, AlignCenter, AlignRight} {
		p.text(boxes[i], words[i], size, FontRegular, InkMuted, a)
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
func (s *MapsScreen) paintProbe(p *painter, r image.Rectangle, pr lesson.Probe, ok bool, size float64) {
	if r.Empty() {
		return
	}
	m := s.m
	if m.Output() == nil {
		return
	}
	if !ok {
		p.para(r, "Blue is negative, white 0, red positive. Hover over a map to see one activation: its value, the patch of the "+
			"input it sees (outlined on the input) and the dot product that makes it. Click to keep it shown.", size, FontRegular, InkMuted)
		return
	}
	out := m.Output()
	b := m.Bank()
	head := fmt.Sprintf("Map %d (%s), row %d of %d, column %d of %d: %s", pr.F+1, b.Names[pr.F], pr.I+1, out.Shape[1],
		pr.J+1, out.Shape[2], lesson.FormatNumber(pr.Value))
	y := p.para(r, head, size, FontBold, InkText)
	// Below the value, as many whole paragraphs as there is room for, in
	// this order; the last says where the window lies, with as many of its
	// remarks as fit. None is cut off midway.
	fits := func(t string, font Font) bool {
		return paraFits(t, image.Rect(r.Min.X, y, r.Max.X, r.Max.Y), mapsCap, font)
	}
	write := func(t string, font Font, ink Ink) {
		if fits(t, font) {
			y = p.para(image.Rect(r.Min.X, y, r.Max.X, r.Max.Y), t, mapsCap, font, ink)
		}
	}
	if m.ReLU() {
		write(fmt.Sprintf("ReLU: max(0, %s) = %s", lesson.FormatNumber(pr.PreReLU), lesson.FormatNumber(pr.Value)), FontRegular, InkText)
	}
	write(pr.Dot.Brief(), FontMono, InkText)
	write(mapsSentence(pr.Dot.Reason()), FontRegular, InkText)
	f := pr.Field
	where := fmt.Sprintf("It sees input rows %d–%d, columns %d–%d: %d x %d x %d = %d values, outlined on the input.",
		f.Min.Y+1, f.Max.Y, f.Min.X+1, f.Max.X, pr.Dot.Channels, f.Dy(), f.Dx(), len(pr.Dot.Terms))
	var remarks []string
	if pr.Visible != pr.Field {
		remarks = append(remarks, " Part of it lies on the zero padding.")
	}
	if m.Centred() {
		remarks = append(remarks, " The filters see each pixel minus 0.5, as the trained network did.")
	}
	if sel, ok := m.Selected(); ok && sel.F == pr.F && sel.I == pr.I && sel.J == pr.J {
		remarks = append(remarks, " Clicked: it stays shown (click it again to let go).")
	}
	for _, rm := range remarks {
		if fits(where+rm, FontRegular) {
			where += rm
		}
	}
	write(where, FontRegular, InkMuted)
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
func (s *MapsScreen) paintEditor(p *painter) {
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
	p.text(l.header, head, mapsBody, FontBold, InkText, AlignLeft)
	_, lim := raster.SymmetricRange(b.W.Data[f*b.Channels()*b.K()*b.K() : (f+1)*b.Channels()*b.K()*b.K()])
	size := min(float64(mapsCap), float64(l.cellSz)*0.3)
	for _, c := range l.cells {
		w := b.W.At(c.f, c.c, c.u, c.v)
		p.fillColour(c.r, mapsTint(w, lim))
		p.stroke(c.r, 1, InkLine)
		p.text(c.r, lesson.FormatNumber(w), size, FontRegular, InkText, AlignCenter)
	}
	p.stroke(l.grid, 2, InkText)
	p.fill(l.bias, InkPanel)
	p.stroke(l.bias, 2, InkText)
	p.text(l.bias, lesson.FormatNumber(b.B[f]), mapsCap, FontRegular, InkText, AlignCenter)
	if s.errCell != "" && s.errCell != "upload" {
		s.paintRefusal(p)
	}
	probe, probing := s.shownProbe()
	if m.Output() != nil {
		s.paintMap(p, l.big, probing && probe.F == f, probe)
		s.paintProbe(p, l.bigText, probe, probing && probe.F == f, mapsCap)
	} else {
		p.para(l.big.mp, "No maps: "+m.ShapeError(), mapsCap, FontBold, InkError)
	}
}

// paintRefusal writes the last refusal in a box next to the cell it
// belongs to, over the grid (whose cells the page leaves transparent).
func (s *MapsScreen) paintRefusal(p *painter) {
	l := &s.lay
	r := l.bias
	for _, c := range l.cells {
		if c.name == s.errCell {
			r = c.r
		}
	}
	lines := wrapText(s.m.Message(), l.grid.Dx()-2*ui.U, mapsCap, FontRegular)
	h := len(lines)*int(math.Ceil(mapsCap*1.35)) + ui.U
	box := image.Rect(l.grid.Min.X, r.Max.Y+ui.U/2, max(l.grid.Max.X, l.grid.Min.X+27*ui.U), r.Max.Y+ui.U/2+h)
	if r == l.bias || box.Max.Y > l.grid.Max.Y+ui.Control {
		box = box.Add(image.Pt(0, r.Min.Y-ui.U-box.Max.Y))
	}
	mapsBox(p, box, s.m.Message(), InkError)
}

// mapsBox writes a note in box: a refusal in red on pink, other notes on
// the panel colour.
func mapsBox(p *painter, box image.Rectangle, note string, ink Ink) {
	if ink == InkError {
		p.fillColour(box, color.RGBA{0xfe, 0xe2, 0xe2, 0xff})
	} else {
		p.fill(box, InkPanel)
	}
	p.stroke(box, 2, ink)
	p.para(ui.Inset(box, ui.U/2), note, mapsCap, FontRegular, ink)
}

// paintStack draws slide 23's stack: each layer's maps and shapes, the
// table of shapes, and the hovered unit's receptive field.
func (s *MapsScreen) paintStack(p *painter) {
	l := &s.lay
	m := s.m
	st := m.Stack()
	relu := "without ReLU between the layers"
	if m.ReLU() {
		relu = "with a ReLU after each layer"
	}
	if st == nil {
		p.para(l.stackHead, "No stack for this input: "+m.StackError(), mapsBody, FontBold, InkError)
		return
	}
	p.para(l.stackHead, fmt.Sprintf("Slide 23: a %s input through three convolutions, %s. Each layer's filters span "+
		"every channel of its input, so its output has one map per filter.", m.InputShape(), relu), mapsCap, FontRegular, InkText)
	for i, c := range l.stackCols {
		ly := st.Layers[i]
		p.text(c.title, fmt.Sprintf("Layer %d: %d filters %d x %d", i+1, ly.Out[0], ly.W.Shape[2], ly.W.Shape[3]), mapsCap, FontBold, InkText, AlignCenter)
		p.picture(c.mosaic, s.pics["stack-"+strconv.Itoa(i)])
		p.stroke(c.mosaic, 1, InkLine)
		s.paintLegend(p, c.legend, s.limits["stack-"+strconv.Itoa(i)], "legend")
		p.text(c.out, st.OutputShape(i), mapsBody, FontBold, InkAccent, AlignCenter)
		if h := s.hover; h.on && h.stack && h.L == i {
			p.stroke(ui.Inset(s.mosaicCell(i, h.F, h.I, h.J), -2).Intersect(s.r), 2, InkWindow)
		}
	}
	// The table of shapes.
	t := l.stackTable
	heads := []string{"Layer", "Weights W", "Bias b", "Output", "Batch form", "Sees"}
	xs := []int{0, 9, 30, 37, 54, 106} // column starts in units of U
	rowH := 4 * ui.U
	for j, h := range heads {
		x := t.Min.X + xs[j]*ui.U
		p.text(image.Rect(x, t.Min.Y, min(x+40*ui.U, t.Max.X), t.Min.Y+rowH), h, mapsCap, FontBold, InkMuted, AlignLeft)
	}
	p.fill(image.Rect(t.Min.X, t.Min.Y+rowH-1, t.Max.X, t.Min.Y+rowH), InkLine)
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
			font := FontRegular
			if j > 0 && j < 5 {
				font = FontMono
			}
			p.text(image.Rect(x, y, end, y+rowH), v, mapsCap, font, InkText, AlignLeft)
		}
	}
	info := "Hover over a layer's maps: one unit of layer 1 sees 5 x 5 input pixels, of layer 2 7 x 7, of layer 3 9 x 9 (outlined on the input)."
	if h := s.hover; h.on && h.stack {
		f := st.ReceptiveField(h.L, h.I, h.J)
		info = fmt.Sprintf("Layer %d, map %d, row %d, column %d depends on input rows %d–%d, columns %d–%d: %d x %d pixels, outlined on the input.",
			h.L+1, h.F+1, h.I+1, h.J+1, f.Min.Y+1, f.Max.Y, f.Min.X+1, f.Max.X, f.Dy(), f.Dx())
	}
	p.para(l.stackInfo, info, mapsBody, FontRegular, InkText)
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
func (s *MapsScreen) paintCompose(p *painter) {
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
		mapsCap, FontRegular, InkText)
	capH := l.compLabel
	above := func(r image.Rectangle, w int) image.Rectangle {
		return image.Rect(r.Min.X, r.Min.Y-capH, r.Min.X+w, r.Min.Y)
	}
	if len(l.compW1) > 0 {
		p.text(above(l.compW1[0], l.compW1[len(l.compW1)-1].Max.X-l.compW1[0].Min.X+4*ui.U), "W1 "+sh(c.W1.Shape), mapsCap, FontBold, InkText, AlignLeft)
	}
	for i, r := range l.compW1 {
		p.picture(r, s.pics["comp-w1-"+strconv.Itoa(i)])
		p.stroke(r, 1, InkLine)
	}
	// The words above say the order, W1 then W2.
	p.text(above(l.compW2, l.compW2.Dx()+4*ui.U), "W2 "+sh(c.W2.Shape), mapsCap, FontBold, InkText, AlignLeft)
	p.picture(l.compW2, s.pics["comp-w2"])
	p.stroke(l.compW2, 1, InkLine)
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
		ink := InkMuted
		if ch == 0 {
			ink = InkAccent
		}
		p.text(above(r, r.Dx()), name, mapsCap, FontBold, ink, AlignLeft)
		cw, chh := r.Dx()/k, r.Dy()/k
		for u := 0; u < k; u++ {
			for v := 0; v < k; v++ {
				cr := image.Rect(r.Min.X+v*cw, r.Min.Y+u*chh, r.Min.X+(v+1)*cw, r.Min.Y+(u+1)*chh)
				w := c.W.At(0, ch, u, v)
				p.fillColour(cr, mapsTint(w, lim))
				p.stroke(cr, 1, InkLine) // the numbers of a tight grid apart
				p.text(cr, mapsShort(w), min(float64(mapsCap)*0.75, float64(cw)/3.2), FontMono, InkText, AlignCenter)
			}
		}
		p.stroke(r, 1, InkLine)
	}
	if c.TwoStep == nil {
		p.para(l.compVerd, "The check cannot run on this input: "+m.CompositionError(), mapsBody, FontBold, InkError)
		return
	}
	two := "Two steps: W1, W2"
	if c.ReLU {
		two = "W1, ReLU, W2"
	}
	caps := []string{two, "One step: W", "|difference|"}
	keys := []string{"comp-two", "comp-one", "comp-diff"}
	for i, r := range l.compOut {
		p.text(above(r, r.Dx()+3*ui.U), caps[i], mapsCap, FontBold, InkText, AlignLeft)
		p.picture(r, s.pics[keys[i]])
		p.stroke(r, 1, InkLine)
		if i < 2 {
			s.paintLegend(p, l.compLeg[i], s.limits[keys[i]], "legend")
		} else {
			s.paintLegend(p, l.compLeg[i], c.MaxDiff, "legend-seq")
		}
	}
	v := l.compVerd
	y := p.para(v, "Both outputs "+sh(c.OneStep.Shape)+"; largest difference:", mapsCap, FontBold, InkText)
	big := image.Rect(v.Min.X, y, v.Max.X, y+5*ui.U)
	ink := InkGood
	verdict := "The same up to float32 rounding: two convolutions with nothing between them are one 5x5 convolution."
	switch {
	case c.ReLU && c.MaxDiff > 1e-3:
		ink = InkError
		verdict = "Not the same: ReLU cut some of the middle's values to 0, which no single convolution can do. " +
			"The nonlinearity is what makes a deeper network more than one convolution."
	case c.ReLU:
		verdict = "Still the same on this input: ReLU found nothing negative to cut. Try other kernels or another input."
	case c.MaxDiff > 1e-3:
		ink = InkWindow
		verdict = fmt.Sprintf("The same inside (largest difference %s away from the border), not on the border %d pixel(s) wide: "+
			"there the second convolution reads the middle's zero padding, which is not an output of the first.",
			lesson.FormatNumber(c.MaxDiffInterior), c.Pad2)
	}
	p.text(big, lesson.FormatNumber(c.MaxDiff), 4*ui.U, FontBold, ink, AlignLeft)
	p.para(image.Rect(v.Min.X, big.Max.Y+ui.U, v.Max.X, v.Max.Y), verdict, mapsCap, FontRegular, ink)
}
