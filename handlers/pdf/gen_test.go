package pdf_test

import (
	"bytes"
	"fmt"
	"image/color"
	"strings"
)

// testPage is a page of a generated PDF: w x h points filled with fill,
// the right half with right when it is not nil, turned by rotate degrees
// and cut to crop ([x0 y0 x1 y1], in points) when it is not nil.
type testPage struct {
	w, h   float64
	fill   color.NRGBA
	right  *color.NRGBA
	rotate int
	crop   []float64
}

// makePDF writes a PDF 1.4 document with a classic cross-reference
// table, from objects whose bodies are objs: objs[0] is object 1.
func makePDF(objs ...string) []byte {
	var b bytes.Buffer
	b.WriteString("%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
	offsets := make([]int, len(objs))
	for i, o := range objs {
		offsets[i] = b.Len()
		fmt.Fprintf(&b, "%d 0 obj\n%s\nendobj\n", i+1, o)
	}
	xref := b.Len()
	fmt.Fprintf(&b, "xref\n0 %d\n0000000000 65535 f \n", len(objs)+1)
	for _, off := range offsets {
		fmt.Fprintf(&b, "%010d 00000 n \n", off)
	}
	fmt.Fprintf(&b, "trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n", len(objs)+1, xref)
	return b.Bytes()
}

// stream is a stream object holding content, with the given dictionary
// entries.
func stream(dict, content string) string {
	return fmt.Sprintf("<< %s /Length %d >>\nstream\n%s\nendstream", dict, len(content), content)
}

func rg(c color.NRGBA) string {
	return fmt.Sprintf("%.4f %.4f %.4f rg", float64(c.R)/255, float64(c.G)/255, float64(c.B)/255)
}

// pagesPDF writes a document of the given pages: catalog, page tree, then
// each page and its content stream.
func pagesPDF(pages ...testPage) []byte {
	kids := make([]string, len(pages))
	for i := range pages {
		kids[i] = fmt.Sprintf("%d 0 R", 3+2*i)
	}
	objs := []string{
		"<< /Type /Catalog /Pages 2 0 R >>",
		fmt.Sprintf("<< /Type /Pages /Kids [%s] /Count %d >>", strings.Join(kids, " "), len(pages)),
	}
	for i, p := range pages {
		extra := ""
		if p.rotate != 0 {
			extra += fmt.Sprintf(" /Rotate %d", p.rotate)
		}
		if p.crop != nil {
			extra += fmt.Sprintf(" /CropBox [%g %g %g %g]", p.crop[0], p.crop[1], p.crop[2], p.crop[3])
		}
		content := fmt.Sprintf("%s 0 0 %g %g re f", rg(p.fill), p.w, p.h)
		if p.right != nil {
			content += fmt.Sprintf("\n%s %g 0 %g %g re f", rg(*p.right), p.w/2, p.w/2, p.h)
		}
		objs = append(objs,
			fmt.Sprintf("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 %g %g]%s /Resources << >> /Contents %d 0 R >>", p.w, p.h, extra, 4+2*i),
			stream("", content))
	}
	return makePDF(objs...)
}

// slowPDF writes a document of n pages that take pdftoppm practically
// forever to render and pdfinfo no time to read: each draws a form that
// draws another form ten times, nine levels deep, a billion rectangles.
func slowPDF(n int) []byte {
	const levels = 9
	kids := make([]string, n)
	for i := range kids {
		kids[i] = fmt.Sprintf("%d 0 R", 3+i)
	}
	content, form := 3+n, 4+n // object numbers
	objs := []string{
		"<< /Type /Catalog /Pages 2 0 R >>",
		fmt.Sprintf("<< /Type /Pages /Kids [%s] /Count %d >>", strings.Join(kids, " "), n),
	}
	for range n {
		objs = append(objs, fmt.Sprintf("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] /Resources << /XObject << /X %d 0 R >> >> /Contents %d 0 R >>", form, content))
	}
	objs = append(objs, stream("", "/X Do"))
	for i := range levels {
		dict := "/Type /XObject /Subtype /Form /BBox [0 0 200 200]"
		if i == levels-1 {
			objs = append(objs, stream(dict, "0.5 g 0 0 200 200 re f"))
			continue
		}
		objs = append(objs, stream(fmt.Sprintf("%s /Resources << /XObject << /X %d 0 R >> >>", dict, form+i+1), strings.Repeat("/X Do\n", 10)))
	}
	return makePDF(objs...)
}
