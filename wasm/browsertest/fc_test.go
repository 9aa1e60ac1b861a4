//go:build !js

package browsertest

import (
	"testing"
	"time"
)

func TestFCLesson(t *testing.T) {
	for _, v := range []View{{W: 1280, H: 800}, {W: 1024, H: 768}} {
		p := browser.Open(t, browser.FileURL(), v)
		size := map[int]string{1280: "1280x800", 1024: "1024x768"}[v.W]
		for _, tab := range []string{"stretch", "scores", "conv", "compare"} {
			p.Click("tab-" + tab)
			p.WaitFor(`window.convlab.state().detail.tab === "`+tab+`"`, 5*time.Second)
			p.Frames(2)
			p.Screenshot("fc-" + tab + "-" + size)
		}
	}
}
