//go:build js && wasm

package main

import (
	"image"
	"image/color"

	"github.com/hajimehoshi/ebiten/v2"
	"github.com/hajimehoshi/ebiten/v2/vector"

	"convlab/engine/app"
)

// drawTrainingScreen draws the training lesson: its marks, in order, then
// its plots. A plot's lines are drawn into a picture of their own once per
// version, so a frame costs one image per plot however long the curves.
func drawTrainingScreen(p *painter, s *app.TrainingScreen) {
	drawMarks(p, s.Marks())
	for i := range s.Plots() {
		drawPlot(p, &s.Plots()[i])
	}
}

// drawPlot draws a plot's lines through a picture of their own (kept
// with the painter's pictures under "plot-" and the plot's key), redrawn
// only when the plot's version or size changed.
func drawPlot(p *painter, pl *app.TrainPlot) {
	w, h := int(float64(pl.Rect.Dx())*p.scale+0.5), int(float64(pl.Rect.Dy())*p.scale+0.5)
	if w <= 0 || h <= 0 {
		return
	}
	if p.pics.m == nil {
		p.pics.m = map[string]*picture{}
	}
	key := "plot-" + pl.Key
	c := p.pics.m[key]
	if c == nil || c.img.Bounds().Dx() != w || c.img.Bounds().Dy() != h {
		if c != nil {
			c.img.Deallocate()
		}
		c = &picture{img: ebiten.NewImage(w, h), version: pl.Version - 1}
		p.pics.m[key] = c
	}
	if c.version != pl.Version {
		c.img.Clear()
		white := plotWhite(p)
		var vs []ebiten.Vertex
		var is []uint16
		for _, ln := range pl.Lines {
			var path vector.Path
			for k := 0; k+1 < len(ln.Points); k += 2 {
				x := float32((float64(ln.Points[k]) - float64(pl.Rect.Min.X)) * p.scale)
				y := float32((float64(ln.Points[k+1]) - float64(pl.Rect.Min.Y)) * p.scale)
				if k == 0 {
					path.MoveTo(x, y)
				} else {
					path.LineTo(x, y)
				}
			}
			op := &vector.StrokeOptions{Width: float32(ln.Width * p.scale), LineJoin: vector.LineJoinRound}
			vs, is = path.AppendVerticesAndIndicesForStroke(vs[:0], is[:0], op)
			r, g, b, a := ln.Colour.RGBA()
			for i := range vs {
				vs[i].SrcX, vs[i].SrcY = 1, 1
				vs[i].ColorR, vs[i].ColorG = float32(r)/0xffff, float32(g)/0xffff
				vs[i].ColorB, vs[i].ColorA = float32(b)/0xffff, float32(a)/0xffff
			}
			c.img.DrawTriangles(vs, is, white, &ebiten.DrawTrianglesOptions{AntiAlias: true})
		}
		c.version = pl.Version
	}
	x, y := p.dev(float64(pl.Rect.Min.X), float64(pl.Rect.Min.Y))
	op := &ebiten.DrawImageOptions{}
	op.GeoM.Translate(float64(x), float64(y))
	p.dst.DrawImage(c.img, op)
}

// plotWhite returns the white texel the plots' triangles sample: the
// centre of a 3x3 white picture kept with the painter's pictures.
func plotWhite(p *painter) *ebiten.Image {
	c := p.pics.m["plot-white"]
	if c == nil {
		c = &picture{img: ebiten.NewImage(3, 3)}
		c.img.Fill(color.White)
		p.pics.m["plot-white"] = c
	}
	return c.img.SubImage(image.Rect(1, 1, 2, 2)).(*ebiten.Image)
}
