//go:build !js

package browsertest

import (
	"fmt"
	"testing"
	"time"
)

// TestBeyondLook saves a screenshot of every tab of lesson 5 at both sizes.
func TestBeyondLook(t *testing.T) {
	for _, v := range []View{{W: 1280, H: 800}, {W: 1024, H: 768}} {
		t0 := time.Now()
		p := browser.Open(t, browser.FileURL()+"#lesson=beyond", v)
		t.Log("open", time.Since(t0))
		for _, tab := range []string{"receptive", "1x1", "pool", "lenet", "batchnorm"} {
			p.Click("tab-" + tab)
			p.WaitFor(`window.convlab.state().detail.tab === "`+tab+`"`, 10*time.Second)
			p.Frames(3)
			t.Log(tab, "shown", time.Since(t0))
			p.Screenshot(fmt.Sprintf("beyond-%s-%dx%d", tab, v.W, v.H))
			t.Log(tab, "shot", time.Since(t0))
		}
	}
}
