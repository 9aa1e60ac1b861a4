package app

import (
	"fmt"
	"image"
	"strconv"
	"strings"

	"convlab/engine/lesson"
	"convlab/engine/nn"
	"convlab/engine/raster"
	"convlab/engine/tensor"
	"convlab/engine/ui"
)

// Text sizes of the screen, in units.
const (
	fcBody = ui.TextSize
	fcCap  = ui.SmallText
	fcMono = 16.0
)

// paint rebuilds the marks from the layout and the model.
func (s *FCScreen) paint() {
	p := &painter{marks: s.marks[:0]}
	l := &s.lay
	if s.m == nil {
		p.para(l.main, s.err, fcBody, FontBold, InkError)
		s.marks = p.marks
		return
	}
	p.para(l.cap, fcCaption(s.tab), fcBody, FontRegular, InkText)
	s.paintInput(p)
	switch s.tab {
	case "stretch":
		s.paintStretch(p)
	case "scores":
		s.paintScores(p)
	case "conv":
		s.paintConv(p)
	case "compare":
		s.paintCompare(p)
	}
	s.marks, s.dropped = p.marks, p.dropped
}

// lines writes one text line per entry from r's top, lh units apart, and
// returns the y below the last.
func (p *painter) lines(r image.Rectangle, lh int, size float64, font Font, ink Ink, ls ...string) int {
	y := r.Min.Y
	for _, s := range ls {
		if y+lh > r.Max.Y {
			break
		}
		p.text(image.Rect(r.Min.X, y, r.Max.X, y+lh), s, size, font, ink, AlignLeft)
		y += lh
	}
	return y
}

// pixelRect returns pixel (y, x) of a picture drawn px units a pixel at r.
func pixelRect(r image.Rectangle, px, y, x int) image.Rectangle {
	return image.Rect(r.Min.X+x*px, r.Min.Y+y*px, r.Min.X+(x+1)*px, r.Min.Y+(y+1)*px)
}

// outline strokes r grown by d units on every side, kept inside bounds.
func (p *painter) outline(r image.Rectangle, d int, width float64, ink Ink, bounds image.Rectangle) {
	p.stroke(image.Rect(r.Min.X-d, r.Min.Y-d, r.Max.X+d, r.Max.Y+d).Intersect(bounds), width, ink)
}

// paintInput draws the input column: thumbnails, the picture with what the
// tab marks on it, and the shift.
func (s *FCScreen) paintInput(p *painter) {
	l, m := &s.lay, s.m
	cur := m.Inputs()[m.Input()].ID
	for _, t := range l.thumbs {
		p.picture(t.r, s.pics["thumb-"+t.id])
		if t.id == cur {
			p.stroke(t.r, 3, InkAccent)
		} else {
			p.stroke(t.r, 1, InkLine)
		}
	}
	in := m.Inputs()[m.Input()]
	p.text(l.picTitle, "input x: "+in.Name+", 3 x 32 x 32", fcBody, FontBold, InkText, AlignLeft)
	p.picture(l.pic, s.pics["input"])
	p.stroke(l.pic, 1, InkLine)
	bounds := ui.Inset(l.colA, -ui.U)
	switch s.tab {
	case "stretch", "scores":
		i, playing := s.index, false
		if s.tab == "stretch" {
			i, playing = s.stretchIndex()
		}
		_, y, x := lesson.FCPixel(i)
		r := pixelRect(l.pic, l.px, y, x)
		if playing {
			r.Min.X, r.Max.X = l.pic.Min.X, l.pic.Max.X
		}
		p.outline(r, 2, 2, InkWindow, bounds)
	case "conv":
		i, j := m.Position()
		k := lesson.FCKernel
		w := image.Rect(l.pic.Min.X+j*l.px, l.pic.Min.Y+i*l.px, l.pic.Min.X+(j+k)*l.px, l.pic.Min.Y+(i+k)*l.px)
		p.outline(w, 1, 3, InkWindow, bounds)
	}
	dx, dy := m.Shift()
	words := "Shift: " + fcShiftWords(dx, dy)
	p.text(l.shiftTxt, words, fcCap, FontRegular, InkMuted, AlignLeft)
}

// paintStretch draws the stretch tab.
func (s *FCScreen) paintStretch(p *painter) {
	l, m := &s.lay, s.m
	x := m.Picture()
	i, playing := s.stretchIndex()
	c, y, xx := lesson.FCPixel(i)
	for ch := 0; ch < 3; ch++ {
		p.text(l.planeTitles[ch], fmt.Sprintf("c = %d: %s", ch, fcChannelNames[ch]), fcCap, FontBold, InkText, AlignLeft)
		p.picture(l.planes[ch], s.pics["plane-"+strconv.Itoa(ch)])
		p.stroke(l.planes[ch], 1, InkLine)
	}
	ppx := l.planes[0].Dx() / lesson.FCSide
	if playing {
		// The row going in, on its channel.
		row := l.planes[c]
		p.outline(image.Rect(row.Min.X, row.Min.Y+y*ppx, row.Max.X, row.Min.Y+(y+1)*ppx), 2, 2, InkWindow, l.main)
	} else {
		p.outline(pixelRect(l.planes[c], ppx, y, xx), 2, 2, InkWindow, l.main)
	}

	// The formula, worked out both ways.
	f := l.formula
	lh := fcMath + 2
	yy := p.lines(f, fcLine, fcBody, FontBold, InkText, "Where pixel (c, y, x) goes")
	yy = p.lines(image.Rect(f.Min.X, yy, f.Max.X, f.Max.Y), lh, fcMono, FontMono, InkText,
		"i = (c·32 + y)·32 + x",
		fmt.Sprintf("(%d·32 + %d)·32 + %d = %d", c, y, xx, i),
		fmt.Sprintf("x[%d] = %s", i, lesson.FormatNumber(x.Data[i])))
	yy += ui.U
	p.lines(image.Rect(f.Min.X, yy, f.Max.X, f.Max.Y), lh, fcMono, FontMono, InkMuted,
		fmt.Sprintf("back: c = %d ÷ 1024 = %d", i, c),
		fmt.Sprintf("y = %d ÷ 32 mod 32 = %d", i, y),
		fmt.Sprintf("x = %d mod 32 = %d", i, xx))

	// The column, with its thirds and the place shown.
	p.text(l.stripTitle, "x: the picture as one column of 3072 numbers (lying down here), red, then green, then blue",
		fcCap, FontBold, InkText, AlignLeft)
	st := l.strip
	p.picture(st, s.pics["strip"])
	p.stroke(st, 1, InkLine)
	for k := 1; k < 3; k++ {
		sx := st.Min.X + k*st.Dx()/3
		p.fill(image.Rect(sx-1, st.Min.Y-ui.U/2, sx+1, st.Max.Y+ui.U/2), InkText)
	}
	from := i / 16 * 16
	zx0, zx1 := stripX(st, from), stripX(st, from+16)
	p.fill(image.Rect(zx0, st.Max.Y-ui.U/2, max(zx1, zx0+2), st.Max.Y+ui.U/2), InkAccent)
	mx := stripX(st, i)
	if playing {
		p.fill(image.Rect(mx-1, st.Min.Y-ui.U/2, max(stripX(st, i+lesson.FCSide), mx+3), st.Max.Y), InkWindow)
	} else {
		p.fill(image.Rect(mx-1, st.Min.Y-ui.U/2, mx+2, st.Max.Y), InkWindow)
	}
	for ch := 0; ch < 3; ch++ {
		a := ch * 1024
		p.text(l.stripLabels[ch], fmt.Sprintf("%s: x[%d] … x[%d]", fcChannelNames[ch], a, a+1023), fcCap, FontRegular, InkMuted, AlignCenter)
	}

	// Sixteen values up close.
	p.text(l.zoomTitle, fmt.Sprintf("x[%d] … x[%d] up close: %s row %d, columns %d–%d of the picture",
		from, from+15, fcChannelNames[c], y, from%32, from%32+15), fcCap, FontBold, InkText, AlignLeft)
	z := l.zoom
	cw := z.Dx() / 16
	for k := 0; k < 16; k++ {
		cell := image.Rect(z.Min.X+k*cw, z.Min.Y, z.Min.X+(k+1)*cw, z.Max.Y)
		v := x.Data[from+k]
		filled := from+k < m.StretchFilled()
		p.text(image.Rect(cell.Min.X, cell.Min.Y-fcSmall, cell.Max.X, cell.Min.Y), strconv.Itoa(from+k), 12, FontRegular, InkMuted, AlignCenter)
		if filled {
			p.fillColour(cell, mapsTint(v, 1))
			p.text(cell, lesson.FormatNumber(v), 15, FontMono, InkText, AlignCenter)
		} else {
			p.fillColour(cell, fcEmpty)
		}
		p.stroke(cell, 1, InkLine)
	}
	if !playing {
		p.outline(image.Rect(z.Min.X+(i-from)*cw, z.Min.Y, z.Min.X+(i-from+1)*cw, z.Max.Y), 1, 3, InkWindow, l.main)
	}

	note := "Press to watch the picture go in row by row: red's 32 rows, then green's, then blue's."
	if playing {
		n := m.StretchFilled() / lesson.FCSide // rows in
		note = "Row 1 of 96 is next: red row 0 becomes x[0 … 31]."
		if n > 0 {
			note = fmt.Sprintf("Row %d of 96 is in: %s row %d is x[%d … %d].", n, fcChannelNames[c], y, i, i+lesson.FCSide-1)
		}
	}
	p.para(l.playNote, note, fcCap, FontRegular, InkMuted)
}

// stretchIndex returns the place of the column the stretch tab shows and
// whether it is the first of the row going in (while the stretch plays)
// rather than the place pointed at.
func (s *FCScreen) stretchIndex() (int, bool) {
	if !s.m.StretchPlaying() {
		return s.index, false
	}
	return max(s.m.StretchFilled()-lesson.FCSide, 0), true
}

// stripX returns the x of place i of the column drawn in r.
func stripX(r image.Rectangle, i int) int { return r.Min.X + i*r.Dx()/lesson.FCLen }

// paintScores draws the scores tab.
func (s *FCScreen) paintScores(p *painter) {
	l, m := &s.lay, s.m
	scores, pred, row := m.Scores(), m.Predicted(), m.Row()
	p.text(l.wTitle, "W: 10 x 3072, one row per class", fcCap, FontBold, InkText, AlignLeft)
	p.text(l.bTitle, "b", fcCap, FontBold, InkText, AlignRight)
	p.text(l.sTitle, "s", fcCap, FontBold, InkText, AlignRight)
	p.text(l.xLabel, "x", fcBody, FontBold, InkText, AlignRight)
	p.picture(l.xStrip, s.pics["strip"])
	p.stroke(l.xStrip, 1, InkLine)
	for k, r := range l.rows {
		p.picture(r.thumb, s.pics["tmpl-"+strconv.Itoa(k)])
		p.picture(r.strip, s.pics["wrow-"+strconv.Itoa(k)])
		p.stroke(r.strip, 1, InkLine)
		p.text(r.b, lesson.FormatNumber(m.Biases()[k]), fcMono, FontMono, InkMuted, AlignRight)
		font, ink := FontMono, InkText
		if k == pred {
			font, ink = FontBold, InkGood
		}
		p.text(r.s, lesson.FormatNumber(scores[k]), fcMono+2, font, ink, AlignRight)
		whole := image.Rect(r.thumb.Min.X, r.thumb.Min.Y, r.s.Max.X, r.s.Max.Y)
		switch {
		case k == row:
			p.outline(whole, 1, 3, InkAccent, l.main)
		case k == s.hoverRow:
			p.outline(whole, 1, 1, InkWindow, l.main)
		default:
			p.stroke(r.thumb, 1, InkLine)
		}
	}
	// The column under the pointer, through x and every row.
	i := s.index
	mx := stripX(l.xStrip, i)
	last := l.rows[len(l.rows)-1].strip
	p.fill(image.Rect(mx-1, l.xStrip.Min.Y, mx+2, last.Max.Y), InkWindow)

	d := m.RowDot(row)
	k := strconv.Itoa(row)
	p.text(l.rowTitle, "score "+k+" = row "+k+" of W · x + b["+k+"]", fcBody, FontBold, InkText, AlignLeft)
	p.text(l.tmplCap, "row "+k+" as 3 x 32 x 32", fcCap, FontRegular, InkMuted, AlignLeft)
	p.text(l.contrCap, "products by pixel", fcCap, FontRegular, InkMuted, AlignLeft)
	p.picture(l.template, s.pics["tmpl-"+k])
	p.stroke(l.template, 1, InkLine)
	p.picture(l.contrib, s.pics["contrib"])
	p.stroke(l.contrib, 1, InkLine)
	_, y, x := lesson.FCPixel(i)
	tpx := l.template.Dx() / lesson.FCSide
	p.outline(pixelRect(l.template, tpx, y, x), 1, 2, InkWindow, l.main)
	p.outline(pixelRect(l.contrib, tpx, y, x), 1, 2, InkWindow, l.main)

	w := m.Weights().Data[row*lesson.FCLen+i]
	xv := m.Picture().Data[i]
	ls := []string{
		"s[" + k + "] = Σ W[" + k + ", i]·x[i] + b[" + k + "]",
		fmt.Sprintf("%s products; %s have x[i] = 0", fcCount(d.Terms), fcCount(d.Zero)),
		fmt.Sprintf("red   x[0…1023]     %8s", lesson.FormatNumber(d.Partial[0])),
		fmt.Sprintf("green x[1024…2047]  %8s", lesson.FormatNumber(d.Partial[1])),
		fmt.Sprintf("blue  x[2048…3071]  %8s", lesson.FormatNumber(d.Partial[2])),
		fmt.Sprintf("sum                 %8s", lesson.FormatNumber(d.Sum)),
		fmt.Sprintf("+ b[%s]              %8s", k, lesson.FormatNumber(d.Bias)),
		fmt.Sprintf("= s[%s]              %8s", k, lesson.FormatNumber(d.Value)),
		fmt.Sprintf("at the pointer, i = %d:", i),
		fmt.Sprintf("  %s·%s = %s", factorText(w), factorText(xv), lesson.FormatNumber(w*xv)),
	}
	if len(d.Largest) > 0 {
		t := d.Largest[0]
		ls = append(ls, fmt.Sprintf("pushes up most: x[%d], %s", t.I, fcPixelWords(t.I)),
			fmt.Sprintf("  %s·%s = %s", factorText(t.WV), factorText(t.XV), lesson.FormatNumber(t.Product)))
	}
	if len(d.Smallest) > 0 {
		t := d.Smallest[0]
		ls = append(ls, fmt.Sprintf("pushes down most: x[%d]", t.I),
			fmt.Sprintf("  %s·%s = %s", factorText(t.WV), factorText(t.XV), lesson.FormatNumber(t.Product)))
	}
	p.lines(l.dotText, fcMath, fcMono, FontMono, InkText, ls...)
}

// fcPixelWords names the pixel at place i of the column: "green (5, 12)".
func fcPixelWords(i int) string {
	c, y, x := lesson.FCPixel(i)
	return fmt.Sprintf("%s (%d, %d)", fcChannelNames[c], y, x)
}

// factorText writes v as a factor: negatives in parentheses.
func factorText(v float32) string {
	t := lesson.FormatNumber(v)
	if strings.HasPrefix(t, lesson.Minus) {
		return "(" + t + ")"
	}
	return t
}

// paintConv draws the conv tab.
func (s *FCScreen) paintConv(p *painter) {
	l, m := &s.lay, s.m
	b := m.Bank()
	f := m.Filter()
	for k, r := range l.filters {
		p.picture(r.thumb, s.pics["filter-"+strconv.Itoa(k)])
		if k == f {
			p.stroke(r.thumb, 3, InkAccent)
		} else {
			p.stroke(r.thumb, 1, InkLine)
		}
		p.text(r.name, b.Names[k], fcCap, FontRegular, InkText, AlignCenter)
	}
	const k = lesson.FCKernel
	n := lesson.FCChannels * k * k
	w := b.W.Data[f*n : (f+1)*n]
	_, lim := raster.SymmetricRange(w)
	for c := 0; c < 3; c++ {
		p.text(l.gridTitles[c], fmt.Sprintf("c = %d: %s", c, fcChannelNames[c]), fcCap, FontBold, InkText, AlignLeft)
		for u := 0; u < k; u++ {
			for v := 0; v < k; v++ {
				cell := pixelRect(l.grids[c], l.cell, u, v)
				val := w[(c*k+u)*k+v]
				p.fillColour(cell, mapsTint(val, lim))
				p.text(cell, lesson.FormatNumber(val), 11, FontRegular, InkText, AlignCenter)
				p.stroke(cell, 1, InkLine)
			}
		}
		p.stroke(l.grids[c], 2, InkWindow)
	}
	p.text(l.biasTitle, "+ bias", fcCap, FontBold, InkText, AlignLeft)
	p.fill(l.bias, InkPanel)
	p.text(l.bias, lesson.FormatNumber(b.B[f]), 11, FontRegular, InkText, AlignCenter)
	p.stroke(l.bias, 2, InkWindow)
	p.text(l.filterNote, "filter "+strconv.Itoa(f)+", "+b.Names[f]+": 3 x 5 x 5 = 75 weights and 1 bias", fcCap, FontRegular, InkMuted, AlignLeft)

	i, j := m.Position()
	d := m.ConvDot()
	ls := []string{}
	for c := 0; c < d.Channels; c++ {
		t0, t1 := d.Terms[c*k*k], d.Terms[c*k*k+1]
		ls = append(ls, fmt.Sprintf("%-6s %s + %s + … = %s", fcChannelNames[c]+":", t0.Text(), t1.Text(), d.PartialText[c]))
	}
	ls = append(ls,
		fmt.Sprintf("75 products: %s + %s + %s = %s", parenNeg(d.PartialText[0]), parenNeg(d.PartialText[1]), parenNeg(d.PartialText[2]), d.SumText),
		"+ bias "+d.BiasText+" = "+d.ValueText)
	title := fmt.Sprintf("map %d at row %d, column %d = %s", f, i, j, d.ValueText)
	y := p.lines(l.convText, fcLine, fcBody, FontBold, InkWindow, title)
	y = p.lines(image.Rect(l.convText.Min.X, y, l.convText.Max.X, l.convText.Max.Y), fcMath, fcMono, FontMono, InkText, ls...)
	if l.convNote { // on a short page the note gives way
		p.para(image.Rect(l.convText.Min.X, y+ui.U, l.convText.Max.X, l.convText.Max.Y),
			fmt.Sprintf("1 number: the dot product of the filter and the 3 x 5 x 5 chunk of the picture at rows %d–%d, columns %d–%d (outlined on the left), plus the bias.",
				i, i+k-1, j, j+k-1), fcCap, FontRegular, InkMuted)
	}

	p.text(l.mapTitle, fmt.Sprintf("map %d: 28 x 28 (32 − 5 + 1)", f), fcCap, FontBold, InkText, AlignLeft)
	p.picture(l.convMap, s.pics["map"])
	p.stroke(l.convMap, 1, InkLine)
	mpx := l.convMap.Dx() / lesson.FCMapSide
	p.outline(pixelRect(l.convMap, mpx, i, j), 1, 3, InkWindow, l.main)
	note := "Point at the map (or the picture) to move the filter. Slide visits all 784 positions, filling the map."
	if m.SlidePlaying() {
		note = fmt.Sprintf("Sliding: position %d of 784, row %d, column %d.", m.SlideShown(), i, j)
	}
	p.para(l.mapNote, note, fcCap, FontRegular, InkMuted)
}

// parenNeg puts a negative number written as text in parentheses.
func parenNeg(t string) string {
	if strings.HasPrefix(t, lesson.Minus) {
		return "(" + t + ")"
	}
	return t
}

// paintCompare draws the compare tab.
func (s *FCScreen) paintCompare(p *painter) {
	l, m := &s.lay, s.m
	fc, conv := lesson.FCLedger()
	dx, dy := m.Shift()
	ck := m.ShiftCheck()
	p.text(l.fcHead[0], "Fully connected: W 10 x 3072, b 10", fcBody, FontBold, InkText, AlignLeft)
	p.text(l.fcHead[1], fcCount(fc.Params)+" parameters → 10 numbers, no layout", fcCap, FontRegular, InkMuted, AlignLeft)
	scores, was := m.Scores(), m.CentredScores()
	var lim float32
	for k := range scores {
		lim = max(lim, abs32(scores[k]), abs32(was[k]))
	}
	if !(lim > 0) {
		lim = 1
	}
	pred := m.Predicted()
	for k, r := range l.bars {
		ink := InkAccent
		if k == pred {
			ink = InkGood
		}
		p.text(l.barLabels[k], strconv.Itoa(k), fcCap, FontBold, InkText, AlignLeft)
		mid := (r.Min.X + r.Max.X) / 2
		half := float32(r.Dx() / 2)
		bar := func(v float32) image.Rectangle {
			e := mid + int(v/lim*half)
			return image.Rect(min(mid, e), r.Min.Y, max(mid, e)+1, r.Max.Y)
		}
		p.fill(bar(scores[k]), ink)
		if dx != 0 || dy != 0 {
			p.stroke(bar(was[k]), 1, InkText)
		}
		p.fill(image.Rect(mid, r.Min.Y-2, mid+1, r.Max.Y+2), InkLine)
		v := l.barValues[k]
		half2 := v.Dx() / 2
		p.text(image.Rect(v.Min.X, v.Min.Y, v.Min.X+half2-ui.U, v.Max.Y), lesson.FormatNumber(scores[k]), fcCap, FontMono, InkText, AlignRight)
		if dx != 0 || dy != 0 {
			p.text(image.Rect(v.Min.X+half2, v.Min.Y, v.Max.X, v.Max.Y), "was "+lesson.FormatNumber(was[k]), fcCap, FontRegular, InkMuted, AlignLeft)
		}
	}
	verdict := fmt.Sprintf("Centred, the highest score is %d (%s).", ck.CentredPredicted, lesson.FormatNumber(was[ck.CentredPredicted]))
	if dx != 0 || dy != 0 {
		verdict = fmt.Sprintf("Centred, the highest score was %d; %s, it is %d. The scores changed by up to %s "+
			"(outlines: before). Each row of W is a template tied to pixel places.",
			ck.CentredPredicted, fcShiftWords(dx, dy), ck.Predicted, lesson.FormatNumber(ck.MaxScoreChange))
	} else {
		verdict += " Move the picture with the arrows under it and watch the scores."
	}
	p.para(l.fcVerdict, verdict, fcCap, FontRegular, InkText)

	p.text(l.cvHead[0], "Convolution: 6 filters 3 x 5 x 5, b 6", fcBody, FontBold, InkText, AlignLeft)
	p.text(l.cvHead[1], fcCount(conv.Params)+" parameters → 6 x 28 x 28: maps keep the layout", fcCap, FontRegular, InkMuted, AlignLeft)
	for f, r := range l.maps {
		p.picture(r, s.pics["map-"+strconv.Itoa(f)])
		p.stroke(r, 1, InkLine)
		name := m.Bank().Names[f]
		p.text(l.mapNames[f], name, fcFitSize(name, l.mapNames[f].Dx(), fcCap, FontRegular), FontRegular, InkText, AlignLeft)
	}
	cv := "Centred. Move the picture: each map moves with it."
	if dx != 0 || dy != 0 {
		cv = fmt.Sprintf("The maps %s with the picture: %s of the %s values whose window stayed on the map are "+
			"the same as before, bit for bit.", fcShiftWords(dx, dy), fcCount(ck.Same), fcCount(ck.Compared))
	}
	p.para(l.cvVerdict, cv, fcCap, FontRegular, InkText)
	s.paintLedger(p, fc, conv)
}

func abs32(v float32) float32 {
	if v < 0 {
		return -v
	}
	return v
}

// paintLedger writes nn's ledger of the two layers as a table.
func (s *FCScreen) paintLedger(p *painter, rows ...nn.LedgerRow) {
	r := s.lay.ledger
	cols := []struct {
		title string
		w     int
		cell  func(nn.LedgerRow) string
	}{
		{"layer", 20 * ui.U, func(r nn.LedgerRow) string { return r.Name }},
		{"weights", 17 * ui.U, func(r nn.LedgerRow) string { return fcShape(r.Weight) }},
		{"biases", 9 * ui.U, func(r nn.LedgerRow) string { return fcCount(r.Params - tensor.Size(r.Weight)) }},
		{"parameters", 14 * ui.U, func(r nn.LedgerRow) string { return fcCount(r.Params) }},
		{"output", 15 * ui.U, func(r nn.LedgerRow) string { return fcShape(r.Output) }},
		{"multiply-adds", 0, func(r nn.LedgerRow) string { return fcCount(r.MultiplyAdds) }},
	}
	lh := fcLine
	x := r.Min.X
	for _, c := range cols {
		w := c.w
		if w == 0 {
			w = r.Max.X - x
		}
		p.text(image.Rect(x, r.Min.Y, x+w-ui.U, r.Min.Y+lh), c.title, fcCap, FontBold, InkText, AlignLeft)
		for k, row := range rows {
			y := r.Min.Y + (k+1)*lh
			p.text(image.Rect(x, y, x+w-ui.U, y+lh), c.cell(row), fcMono, FontMono, InkText, AlignLeft)
		}
		x += w
	}
	p.fill(image.Rect(r.Min.X, r.Min.Y+lh-2, r.Max.X, r.Min.Y+lh-1), InkLine)
}

// fcFitSize returns size, or the smaller size at which s fits in w units.
func fcFitSize(s string, w int, size float64, font Font) float64 {
	if tw := textW(s, size, font); tw > w {
		return size * float64(w) / float64(tw) * 0.98
	}
	return size
}
