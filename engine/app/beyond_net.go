package app

import (
	"fmt"
	"image"
	"image/color"
	"strconv"
	"strings"

	"convlab/engine/lesson"
	"convlab/engine/nn"
	"convlab/engine/raster"
	"convlab/engine/tensor"
	"convlab/engine/ui"
)

// netPresetLabel is the button text of a network preset.
func netPresetLabel(p string) string {
	if p == "lecture" {
		return "Lecture's LeNet-5"
	}
	return "Without padding"
}

// netKnobColumn is the settings column a knob is shown in.
func netKnobColumn(k string) int {
	switch k {
	case "kernel", "size":
		return 1
	case "pad":
		return 2
	case "stride":
		return 3
	}
	return 0 // filters, out
}

// paintNet lays out and draws the LeNet tab: the table of the network's
// layers with their settings as fields, output shapes, weight shapes,
// parameters and multiply-adds from nn's ledger, and the totals; beside
// it the presets, what the numbers say, and the digit through the built
// network.
func (s *BeyondScreen) paintNet(p *painter, body image.Rectangle) {
	t := s.m.Net
	touch := s.touch()
	const gap = 3 * ui.U / 2
	subW := []int{9 * ui.U, touch, touch, touch}
	cols := []int{3 * ui.U, 21 * ui.U, 0, 13 * ui.U, 15 * ui.U, 11 * ui.U, 13 * ui.U}
	for _, w := range subW {
		cols[2] += w + ui.U
	}
	tableW := (len(cols) - 1) * gap
	for _, w := range cols {
		tableW += w
	}
	right := image.Rect(body.Min.X+tableW+3*ui.U, body.Min.Y, body.Max.X, body.Max.Y)
	xs := make([]int, len(cols))
	x := body.Min.X
	for i, w := range cols {
		xs[i] = x
		x += w + gap
	}
	y := body.Min.Y
	cell := func(col int, y, h int, text string, f Font, ink Ink, a Align) {
		p.text(image.Rect(xs[col], y, xs[col]+cols[col], y+h), text, beyondSmall, f, ink, a)
	}
	heads := []string{"", "layer", "", "output", "weights", "parameters", "multiply-adds"}
	aligns := []Align{AlignRight, AlignLeft, AlignLeft, AlignLeft, AlignLeft, AlignRight, AlignRight}
	for i, h := range heads {
		cell(i, y, beyondLine, h, FontRegular, InkMuted, aligns[i])
	}
	sx := xs[2]
	for k, h := range []string{"filters/out", "K", "P", "S"} {
		p.text(image.Rect(sx, y, sx+subW[k], y+beyondLine), h, 12, FontRegular, InkMuted, AlignCenter)
		sx += subW[k] + ui.U
	}
	y += beyondLine
	p.fill(image.Rect(body.Min.X, y-1, body.Min.X+tableW, y), InkLine)
	spec := t.Spec()
	cell(1, y, beyondLine, "input", FontRegular, InkText, AlignLeft)
	cell(3, y, beyondLine, tensor.ShapeString(spec.Input[:]), FontRegular, InkText, AlignLeft)
	y += beyondLine
	rows, fail := t.Rows(), t.Failing()
	for i, l := range spec.Layers {
		knobs := lesson.NetKnobs(l.Type)
		h := beyondLine
		if len(knobs) > 0 {
			h = touch + ui.U
		}
		ink := InkText
		if fail >= 0 && i >= fail {
			ink = InkMuted
		}
		if i == fail {
			p.fillColour(image.Rect(body.Min.X, y, body.Min.X+tableW, y+h), color.RGBA{0xfd, 0xec, 0xec, 0xff})
			ink = InkError
		}
		cell(0, y, h, strconv.Itoa(i+1), FontRegular, InkMuted, AlignRight)
		cell(1, y, h, l.Describe(), FontRegular, ink, AlignLeft)
		for _, k := range knobs {
			col := netKnobColumn(k)
			fx := xs[2]
			for c := 0; c < col; c++ {
				fx += subW[c] + ui.U
			}
			r := image.Rect(fx, y+ui.U/2, fx+subW[col], y+ui.U/2+touch)
			v := t.Knob(i, k)
			s.add(ui.Widget{Name: fmt.Sprintf("net-%d-%s", i, k), Kind: ui.Field, Group: "by-field", Rect: r, Text: strconv.Itoa(v),
				Label:   fmt.Sprintf("Layer %d (%s): %s", i+1, l.Type, netKnobWords(k)),
				Tooltip: fmt.Sprintf("Layer %d's %s: type a whole number and press Enter, or turn the wheel.", i+1, netKnobWords(k))})
		}
		switch {
		case i < len(rows):
			r := rows[i]
			cell(3, y, h, tensor.ShapeString(r.Output), FontRegular, InkText, AlignLeft)
			cell(4, y, h, tensor.ShapeString(r.Weight), FontRegular, InkText, AlignLeft)
			if r.Params > 0 || r.Weight != nil {
				cell(5, y, h, lesson.Thousands(r.Params), FontRegular, InkText, AlignRight)
			}
			if r.MultiplyAdds > 0 {
				cell(6, y, h, lesson.Thousands(r.MultiplyAdds), FontRegular, InkText, AlignRight)
			}
		case i == fail:
			cell(3, y, h, "cannot work", FontBold, InkError, AlignLeft)
		default:
			cell(3, y, h, "—", FontRegular, InkMuted, AlignLeft)
		}
		y += h
	}
	p.fill(image.Rect(body.Min.X, y, body.Min.X+tableW, y+1), InkLine)
	params, madds := t.Totals()
	total := "total"
	if fail >= 0 {
		total = fmt.Sprintf("total, layers 1–%d", fail)
	}
	cell(1, y, beyondLine, total, FontBold, InkText, AlignLeft)
	cell(5, y, beyondLine, lesson.Thousands(params), FontBold, InkText, AlignRight)
	cell(6, y, beyondLine, lesson.Thousands(madds), FontBold, InkText, AlignRight)

	s.paintNetSide(p, right)
}

// netKnobWords names a setting in a sentence.
func netKnobWords(k string) string {
	switch k {
	case "filters":
		return "number of filters"
	case "kernel":
		return "kernel size K"
	case "pad":
		return "padding P"
	case "stride":
		return "stride S"
	case "size":
		return "window size K"
	}
	return "number of outputs"
}

// paintNetSide draws the column beside the table: the presets, the totals
// in words, the error naming the layer that cannot work, and the digit
// through the built network.
func (s *BeyondScreen) paintNetSide(p *painter, r image.Rectangle) {
	t := s.m.Net
	y := r.Min.Y
	for _, pr := range lesson.NetPresets {
		label := netPresetLabel(pr)
		s.add(ui.Widget{Name: "net-preset-" + strings.ReplaceAll(pr, " ", "-"), Kind: ui.Choice, Group: "by-on", Label: label, On: t.Preset() == pr,
			Rect: image.Rect(r.Min.X, y, r.Max.X, y+ui.Control), Tooltip: netPresetTip(pr)})
		y += ui.Control + ui.Gap
	}
	y += ui.U
	para := func(text string, f Font, ink Ink) {
		y = p.para(image.Rect(r.Min.X, y, r.Max.X, r.Max.Y), text, beyondSmall, f, ink) + ui.U
	}
	params, madds := t.Totals()
	if t.Err() != nil {
		para(capitalize(sentence(t.Err().Error())), FontBold, InkError)
		para("Change a setting of that layer or one before it; every later shape follows.", FontRegular, InkMuted)
	} else {
		para(fmt.Sprintf("%s parameters, %s multiply-adds an image.", lesson.Thousands(params), lesson.Thousands(madds)), FontBold, InkText)
		para(netTrend(t.Rows()), FontRegular, InkText)
		if rows := t.Rows(); len(rows) > 0 {
			big := 0
			for i, row := range rows {
				if row.Params > rows[big].Params {
					big = i
				}
			}
			para(fmt.Sprintf("Layer %d holds %d%% of the parameters.", big+1, rows[big].Params*100/max(1, params)), FontRegular, InkText)
		}
	}
	acts := t.Activations()
	if acts == nil {
		why := t.RunError()
		if s.digitErr != "" {
			why = s.digitErr
		}
		para("Not run on a digit: "+sentence(why), FontRegular, InkMuted)
		return
	}
	para("Built and run on a digit (random, untrained weights): every activation has the shape in its row.", FontRegular, InkMuted)
	conv := -1
	for i, a := range acts {
		if len(a.Out.Shape) == 3 && t.Spec().Layers[i].Type == nn.TypeConv {
			conv = i
			break
		}
	}
	d := t.Digit()
	side := 10 * ui.U
	if y+side+beyondLine > r.Max.Y {
		return
	}
	dr := image.Rect(r.Min.X, y, r.Min.X+side, y+side)
	p.picture(dr, s.pic("net-digit", func() *image.RGBA { return mapsInputImage(d) }))
	p.stroke(dr, 1, InkLine)
	if conv < 0 {
		return
	}
	out := acts[conv].Out
	c, h, w := out.Shape[0], out.Shape[1], out.Shape[2]
	mcols := 1 // the side of a square, or a divisor of c just above it
	for mcols*mcols < c {
		mcols++
	}
	for k := mcols; k <= mcols+2; k++ {
		if c%k == 0 {
			mcols = k
			break
		}
	}
	mrows := (c + mcols - 1) / mcols
	mw, mh := mcols*(w+1)-1, mrows*(h+1)-1
	p.text(image.Rect(dr.Max.X+ui.U, y, r.Max.X, y+side), fmt.Sprintf("→ layer %d: %d maps of %dx%d", conv+1, c, h, w), 13, FontRegular, InkMuted, AlignLeft)
	room := image.Rect(r.Min.X, dr.Max.Y+ui.U, r.Max.X, r.Max.Y)
	scale := min(float64(room.Dx())/float64(mw), float64(room.Dy())/float64(mh), 3)
	if scale < 1 {
		return
	}
	mr := image.Rect(room.Min.X, room.Min.Y, room.Min.X+int(float64(mw)*scale), room.Min.Y+int(float64(mh)*scale))
	p.picture(mr, s.pic("net-maps", func() *image.RGBA {
		_, lim := raster.SymmetricRange(out.Data)
		return mapsMosaic(out, mcols, lim)
	}))
}

// netTrend says how the shapes go through the network: spatial size down,
// channels up, from the first to the last (C, H, W) output.
func netTrend(rows []nn.LedgerRow) string {
	var first, last []int
	for _, r := range rows {
		if len(r.Output) == 3 {
			if first == nil {
				first = r.Output
			}
			last = r.Output
		}
	}
	if first == nil {
		return ""
	}
	return fmt.Sprintf("Spatial size 28x28 → %dx%d, channels 1 → %d: space shrinks, depth grows.", last[1], last[2], max(first[0], last[0]))
}

func netPresetTip(p string) string {
	if p == "lecture" {
		return "The lecture's table: 5x5 convolutions with padding 2 keep 28x28 until each pooling halves it."
	}
	return "LeNet-5 without padding: 28 → 24 → 12 → 8 → 4, and 800 values into the first linear layer."
}

// netEvent acts on the LeNet tab's controls.
func (s *BeyondScreen) netEvent(ev ui.Event, say *ui.Announcer) bool {
	t := s.m.Net
	if pr, ok := strings.CutPrefix(ev.Target, "net-preset-"); ok {
		if ev.Type != ui.Click {
			return false
		}
		if err := t.SetPreset(strings.ReplaceAll(pr, "-", " ")); err != nil {
			say.Say(sentence(err.Error()))
			return true
		}
		s.errCell = ""
		p, _ := t.Totals()
		say.Say(netPresetLabel(t.Preset()) + ": " + lesson.Thousands(p) + " parameters.")
		return true
	}
	rest, ok := strings.CutPrefix(ev.Target, "net-")
	if !ok {
		return false
	}
	is, knob, ok := strings.Cut(rest, "-")
	i, err := strconv.Atoi(is)
	if !ok || err != nil || i < 0 || i >= len(t.Spec().Layers) {
		return false
	}
	what := fmt.Sprintf("layer %d's %s", i+1, netKnobWords(knob))
	now := func() string { return strconv.Itoa(t.Knob(i, knob)) }
	used := s.editable(ev, say, what,
		func(text string) error { return t.SetKnob(i, knob, text) },
		func(n int) error { return t.NudgeKnob(i, knob, n) }, now)
	if used && s.errCell == "" && (ev.Type == ui.Commit || ev.Type == ui.Wheel) {
		msg, _ := say.Last()
		if t.Err() != nil {
			say.Say(msg + " " + capitalize(sentence(t.Err().Error())))
		} else {
			p, m := t.Totals()
			say.Say(fmt.Sprintf("%s Output %s; %s parameters, %s multiply-adds in all.", msg,
				tensor.ShapeString(t.Rows()[len(t.Rows())-1].Output), lesson.Thousands(p), lesson.Thousands(m)))
		}
	}
	return used
}
