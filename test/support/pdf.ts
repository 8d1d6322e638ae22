import { getDocument } from "pdfjs-dist/legacy/build/pdf.mjs";

/** Each page's text as a PDF reader extracts it, items joined as they are drawn. */
export async function pagesText(pdf: Buffer): Promise<string[]> {
  const document = await getDocument({ data: new Uint8Array(pdf), useSystemFonts: false, isEvalSupported: false })
    .promise;
  const pages: string[] = [];
  for (let n = 1; n <= document.numPages; n++) {
    const content = await (await document.getPage(n)).getTextContent();
    pages.push(content.items.map((item) => ("str" in item ? item.str : "")).join(""));
  }
  await document.destroy();
  return pages;
}

/** The whole document's text. */
export const pdfText = async (pdf: Buffer): Promise<string> => (await pagesText(pdf)).join("\n");
