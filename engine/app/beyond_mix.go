package app

import (
	"fmt"
	"image"
	"image/color"
	"math"
	"strconv"
	"strings"

	"convlab/engine/lesson"
	"convlab/engine/raster"
	"convlab/engine/tensor"
	"convlab/engine/ui"
)

// mixPresetName returns the target name of a colour mix: "mix-preset-swap-red-and-blue".
func mixPresetName(p string) string { return "mix-preset-" + strings.ReplaceAll(p, " ", "-") }

// paintMix lays out and draws the 1x1-convolution tab: the pictures and
// the mixes to choose, then left to right the picture, its three
// channels, the 1x1 filters as a matrix of weights, the three output
// channels and the outputs as one colour picture; below, one pixel's sums
// written out and the parameter counts from nn's ledger.
func (s *BeyondScreen) paintMix(p *painter, body image.Rectangle) {
	m := s.m.Mix
	t := s.touch()
	x, y := body.Min.X, body.Min.Y
	p.text(image.Rect(x, y, x+9*ui.U, y+ui.Control), "Picture", beyondSmall, FontRegular, InkMuted, AlignLeft)
	x += 9 * ui.U
	for i, pc := range m.Pictures() {
		r := image.Rect(x, y, x+t, y+t)
		s.add(ui.Widget{Name: "mix-pic-" + strconv.Itoa(i), Kind: ui.Cell, Group: "by-thumb", Rect: r,
			Label: "Use the " + pc.Name + " picture", Tooltip: "The " + pc.Name + " picture, 3 x 32 x 32."})
		p.picture(r, s.pic("thumb-"+strconv.Itoa(i), func() *image.RGBA { return pictureImage(pc.Pixels, pc.Side) }))
		ink, w := InkLine, 1.0
		if i == m.Picture() {
			ink, w = InkAccent, 3
		}
		p.stroke(r, w, ink)
		x += t + ui.U
	}
	x += 3 * ui.U
	p.text(image.Rect(x, y, x+6*ui.U, y+ui.Control), "Mix", beyondSmall, FontRegular, InkMuted, AlignLeft)
	x += 6 * ui.U
	for _, pr := range lesson.MixPresets {
		label := capitalize(pr)
		w := beyondBtnW(label)
		s.add(ui.Widget{Name: mixPresetName(pr), Kind: ui.Choice, Group: "by-on", Label: label, On: m.Preset() == pr,
			Rect: image.Rect(x, y, x+w, y+ui.Control), Tooltip: mixTip(pr)})
		x += w + ui.Gap
	}
	y += max(t, ui.Control) + 2*ui.U

	// The flow, sized to what is left above the sums and the table.
	below := 5*beyondLine + ui.U + 6*beyondLine
	avail := body.Max.Y - y - beyondLine - 2*ui.U - below
	side := m.Input().Shape[1]
	px := max(2, min(8, avail/side)) // units per picture pixel
	big := px * side
	cellW, cellH := 9*ui.U, t
	matW := 8*ui.U + 4*cellW + 3*ui.U
	matH := beyondLine + 3*cellH + 2*ui.U
	small := (max(big, matH) - 2*ui.U) / 3
	const arrow = 5 * ui.U
	flowW := 2*big + 2*small + matW + 4*arrow
	x = body.Min.X + (body.Dx()-flowW)/2
	top := y + beyondLine
	h := max(big, matH)
	title := func(r image.Rectangle, s string) {
		p.text(image.Rect(r.Min.X-2*ui.U, y, r.Max.X+2*ui.U, y+beyondLine), s, beyondSmall, FontBold, InkText, AlignCenter)
	}
	arrowAt := func(x int) {
		mid := top + h/2
		p.text(image.Rect(x, mid-beyondLine/2, x+arrow, mid+beyondLine/2), "→", 22, FontRegular, InkMuted, AlignCenter)
	}
	py, pxx := m.Probe()
	mark := func(r image.Rectangle, n int) { // the probed pixel on a picture of side n shown in r
		c := float64(r.Dx()) / float64(n)
		q := image.Rect(r.Min.X+int(float64(pxx)*c), r.Min.Y+int(float64(py)*c), r.Min.X+int(float64(pxx+1)*c+0.999), r.Min.Y+int(float64(py+1)*c+0.999))
		p.stroke(q.Inset(-2), 2, InkWindow)
	}

	in := image.Rect(x, top+(h-big)/2, x+big, top+(h-big)/2+big)
	title(in, fmt.Sprintf("input 3x%dx%d", side, side))
	p.picture(in, s.pic("mix-input", func() *image.RGBA { return mapsInputImage(m.Input()) }))
	p.stroke(in, 1, InkLine)
	mark(in, side)
	s.add(ui.Widget{Name: "mix-input", Kind: ui.Area, Rect: in, Label: "The input picture: click a pixel to write out its sums",
		Tooltip: "Click a pixel to write out its three weighted sums."})
	s.areas["mix-input"] = beyondArea{grid: in, n: side}
	x += big + arrow
	arrowAt(x - arrow)

	title(image.Rect(x, 0, x+small, 0), "channels")
	for c := 0; c < 3; c++ {
		r := image.Rect(x, top+c*(small+ui.U), x+small, top+c*(small+ui.U)+small)
		p.picture(r, s.pic("mix-ch-"+strconv.Itoa(c), func() *image.RGBA { return channelImage(m.Input(), c) }))
		p.stroke(r, 1, InkLine)
		mark(r, side)
	}
	x += small + arrow
	arrowAt(x - arrow)

	// The matrix: a row per 1x1 filter, a column per input channel, and the bias.
	mat := image.Rect(x, top+(h-matH)/2, x+matW, top+(h-matH)/2+matH)
	title(mat, "1x1 filters: W 3x3x1x1, b 3")
	heads := append(append([]string(nil), lesson.MixChannels...), "bias")
	lim := float32(1)
	for o := 0; o < 3; o++ {
		for c := 0; c < 3; c++ {
			lim = max(lim, float32(math.Abs(float64(m.Weight(o, c)))))
		}
	}
	cx0 := mat.Min.X + 8*ui.U
	for c, hd := range heads {
		cx := cx0 + c*(cellW+ui.U)
		p.text(image.Rect(cx, mat.Min.Y, cx+cellW, mat.Min.Y+beyondLine), hd, beyondSmall, FontRegular, InkMuted, AlignCenter)
	}
	for o := 0; o < 3; o++ {
		ry := mat.Min.Y + beyondLine + o*(cellH+ui.U)
		p.text(image.Rect(mat.Min.X, ry, cx0-ui.U, ry+cellH), "out "+strconv.Itoa(o), beyondSmall, FontBold, InkText, AlignRight)
		for c := 0; c < 4; c++ {
			cx := cx0 + c*(cellW+ui.U)
			r := image.Rect(cx, ry, cx+cellW, ry+cellH)
			var v float32
			name, what := fmt.Sprintf("mix-w-%d-%d", o, c), fmt.Sprintf("weight of %s in output %d", heads[c], o)
			if c == 3 {
				v, name, what = m.Bias(o), fmt.Sprintf("mix-b-%d", o), fmt.Sprintf("bias of output %d", o)
			} else {
				v = m.Weight(o, c)
			}
			s.numberCell(p, r, name, what, v, lim, true)
		}
	}
	x += matW + arrow
	arrowAt(x - arrow)

	out := m.Output()
	_, olim := raster.SymmetricRange(out.Data)
	title(image.Rect(x, 0, x+small, 0), "outputs")
	for o := 0; o < 3; o++ {
		r := image.Rect(x, top+o*(small+ui.U), x+small, top+o*(small+ui.U)+small)
		p.picture(r, s.pic("mix-out-"+strconv.Itoa(o), func() *image.RGBA {
			plane := side * side
			return raster.HeatMap(out.Data[o*plane:(o+1)*plane], side, side, -olim, olim, raster.DivergingMap)
		}))
		p.stroke(r, 1, InkLine)
		mark(r, side)
	}
	p.text(image.Rect(x-arrow, top+h, x+small+arrow, top+h+beyondLine), "±"+lesson.FormatNumber(roundSig(olim))+": blue < 0 < red", 13, FontRegular, InkMuted, AlignCenter)
	x += small + arrow
	arrowAt(x - arrow)

	res := image.Rect(x, top+(h-big)/2, x+big, top+(h-big)/2+big)
	title(res, "outputs as a picture")
	p.picture(res, s.pic("mix-result", func() *image.RGBA { return mapsInputImage(out) }))
	p.stroke(res, 1, InkLine)
	mark(res, side)
	s.add(ui.Widget{Name: "mix-output", Kind: ui.Area, Rect: res, Label: "The outputs as a colour picture: click a pixel to write out its sums",
		Tooltip: "Output 0, 1, 2 as red, green, blue, cut to 0..1. Click a pixel to write out its sums."})
	s.areas["mix-output"] = beyondArea{grid: res, n: side}

	// One pixel's sums.
	y = top + h + beyondLine + ui.U
	d0 := m.Dot(0)
	head := fmt.Sprintf("Pixel (%d, %d): red %s, green %s, blue %s. Each output is the pixel's channels times one row of W, plus its bias:",
		py, pxx, d0.Terms[0].XText, d0.Terms[1].XText, d0.Terms[2].XText)
	p.text(image.Rect(body.Min.X, y, body.Max.X, y+beyondLine), head, beyondSmall, FontBold, InkText, AlignLeft)
	y += beyondLine
	for o := 0; o < 3; o++ {
		p.text(image.Rect(body.Min.X+2*ui.U, y, body.Max.X, y+beyondLine), fmt.Sprintf("out %d = %s", o, m.Dot(o).Line()), beyondSmall, FontMono, InkText, AlignLeft)
		y += beyondLine
	}
	p.text(image.Rect(body.Min.X, y, body.Max.X, y+beyondLine),
		"A 1x1 convolution is a fully connected layer from the input's channels to the output's, applied at every pixel; stacking them gives an MLP on each pixel.",
		beyondSmall, FontRegular, InkMuted, AlignLeft)
	y += beyondLine + ui.U

	// The ledger.
	rows := [][]string{{"", "input", "output", "weights", "parameters", "multiply-adds"}}
	for _, l := range m.MixLedger() {
		rows = append(rows, []string{l.What, tensor.ShapeString(l.Input[:]), tensor.ShapeString(l.Row.Output), tensor.ShapeString(l.Row.Weight),
			lesson.Thousands(l.Row.Params), lesson.Thousands(l.Row.MultiplyAdds)})
	}
	widths := []int{30 * ui.U, 16 * ui.U, 16 * ui.U, 17 * ui.U, 13 * ui.U, 15 * ui.U}
	aligns := []Align{AlignLeft, AlignLeft, AlignLeft, AlignLeft, AlignRight, AlignRight}
	p.table(body.Min.X, y, widths, aligns, rows, beyondSmall, true, 2*ui.U)
}

// numberCell draws a number cell with its value shaded on a scale of
// ±lim and adds its widget: an editable cell (typed, dragged, wheeled) or
// a clickable one.
func (s *BeyondScreen) numberCell(p *painter, r image.Rectangle, name, what string, v, lim float32, editable bool) {
	text := lesson.FormatNumber(v)
	w := ui.Widget{Name: name, Kind: ui.Cell, Group: "by-num", Rect: r, Label: capitalize(what) + " = " + text, Editable: editable}
	if editable {
		w.Text = text
		w.Tooltip = "Type a number, or drag up and down, or turn the wheel."
	}
	s.add(w)
	p.fillColour(r, mapsTint(v, lim))
	ink := InkGrid
	width := 1.0
	if name == s.errCell {
		ink, width = InkError, 3
	}
	p.stroke(r, width, ink)
	size := beyondBody
	for size > 11 && textW(text, size, FontRegular) > r.Dx()-ui.U {
		size--
	}
	p.text(r, text, size, FontRegular, InkText, AlignCenter)
}

// roundSig rounds v to two significant digits, for a legend.
func roundSig(v float32) float32 {
	if v == 0 || v != v {
		return v
	}
	p := math.Pow(10, 1-math.Floor(math.Log10(math.Abs(float64(v)))))
	return float32(math.Round(float64(v)*p) / p)
}

// pictureImage draws a picture's pixels (3, side, side).
func pictureImage(pix []uint8, side int) *image.RGBA {
	img := image.NewRGBA(image.Rect(0, 0, side, side))
	plane := side * side
	for k := 0; k < plane; k++ {
		img.Pix[4*k], img.Pix[4*k+1], img.Pix[4*k+2], img.Pix[4*k+3] = pix[k], pix[plane+k], pix[2*plane+k], 255
	}
	return img
}

// channelImage draws channel c of x (3, H, W), values in [0, 1], in shades
// of that channel's colour.
func channelImage(x *tensor.Tensor, c int) *image.RGBA {
	h, w := x.Shape[1], x.Shape[2]
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for k := 0; k < h*w; k++ {
		v := uint8(math.Round(float64(min(max(x.Data[c*h*w+k], 0), 1)) * 255))
		col := color.RGBA{A: 255}
		switch c {
		case 0:
			col.R = v
		case 1:
			col.G = v
		default:
			col.B = v
		}
		img.SetRGBA(k%w, k/w, col)
	}
	return img
}

func mixTip(p string) string {
	switch p {
	case "identity":
		return "Each output copies its own input channel: W is the identity."
	case "greyscale":
		return "Every output is 0.299·red + 0.587·green + 0.114·blue, the picture's brightness."
	case "swap red and blue":
		return "Output 0 takes the blue channel and output 2 the red."
	case "sepia":
		return "The sepia tone of old photographs, a mix of all three channels in each output."
	}
	return "Output 0 = red − green, output 1 = blue − (red + green)/2, output 2 = the mean: opposing colours, as learned filters often find."
}

// mixEvent acts on the 1x1-convolution tab's controls.
func (s *BeyondScreen) mixEvent(ev ui.Event, say *ui.Announcer) bool {
	m := s.m.Mix
	switch ev.Target {
	case "mix-input", "mix-output":
		if ev.Type != ui.Click {
			return false
		}
		i, j, ok := s.areaCell(ev.Target, ev)
		if !ok {
			return false
		}
		if err := m.SetProbe(i, j); err != nil {
			say.Say(sentence(err.Error()))
			return true
		}
		parts := make([]string, 3)
		for o := range parts {
			parts[o] = lesson.FormatNumber(m.Dot(o).Value)
		}
		say.Say(fmt.Sprintf("Pixel (%d, %d): outputs %s.", i, j, strings.Join(parts, ", ")))
		return true
	}
	if v, ok := strings.CutPrefix(ev.Target, "mix-pic-"); ok {
		if ev.Type != ui.Click {
			return false
		}
		i, err := strconv.Atoi(v)
		if err != nil {
			return false
		}
		if err := m.SetPicture(i); err != nil {
			say.Say(sentence(err.Error()))
			return true
		}
		say.Say("Picture: " + m.Pictures()[i].Name + ".")
		return true
	}
	for _, pr := range lesson.MixPresets {
		if ev.Target == mixPresetName(pr) && ev.Type == ui.Click {
			if err := m.SetPreset(pr); err != nil {
				say.Say(sentence(err.Error()))
				return true
			}
			s.errCell = ""
			say.Say("Mix: " + pr + ". " + mixTip(pr))
			return true
		}
	}
	var o, c int
	if !scan(ev.Target, "mix-w-%d-%d", &o, &c) {
		if !scan(ev.Target, "mix-b-%d", &o) {
			return false
		}
		c = 3
	}
	if o < 0 || o > 2 || c < 0 || c > 3 {
		return false
	}
	what := fmt.Sprintf("weight of %s in output %d", lesson.MixChannels[min(c, 2)], o)
	now := func() string { return lesson.FormatNumber(m.Weight(o, c)) }
	if c == 3 {
		what = fmt.Sprintf("bias of output %d", o)
		now = func() string { return lesson.FormatNumber(m.Bias(o)) }
	}
	return s.editable(ev, say, what,
		func(t string) error { return m.Set(o, c, t) },
		func(n int) error { return m.Nudge(o, c, n) }, now)
}
