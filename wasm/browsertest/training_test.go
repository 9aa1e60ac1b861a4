//go:build !js

package browsertest

import (
	"testing"
	"time"
)

// TestTrainingLook is a scratch look at every tab.
func TestTrainingLook(t *testing.T) {
	for _, v := range []View{{W: 1280, H: 800}, {W: 1024, H: 768}} {
		p := browser.Open(t, browser.FileURL()+"#lesson=training", v)
		p.WaitFor(`window.convlab.state().detail.filters`, 20*time.Second)
		p.Click("play")
		time.Sleep(8 * time.Second)
		for _, tab := range []string{"train", "network", "inside", "results", "compare", "try"} {
			p.Click("tab-" + tab)
			p.WaitFor(`window.convlab.state().detail.tab === "`+tab+`"`, 5*time.Second)
			time.Sleep(600 * time.Millisecond)
			p.Screenshot("look-" + tab + "-" + itoa(v.W))
		}
	}
}

func itoa(n int) string {
	b := []byte{}
	for n > 0 {
		b = append([]byte{byte('0' + n%10)}, b...)
		n /= 10
	}
	return string(b)
}
