import Foundation
import XCTest
import ImprintBytes
@testable import ImprintMetadata

final class XMPParserTests: XCTestCase {
    let packet = """
    <?xpacket begin="\u{FEFF}" id="W5M0MpCehiHzreSzNTczkc9d"?>
    <x:xmpmeta xmlns:x="adobe:ns:meta/">
     <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
      <rdf:Description rdf:about=""
        xmlns:xap="http://ns.adobe.com/xap/1.0/"
        xmlns:mm="http://ns.adobe.com/xap/1.0/mm/"
        xmlns:evt="http://ns.adobe.com/xap/1.0/sType/ResourceEvent#"
        xmlns:Iptc4xmpExt="http://iptc.org/std/Iptc4xmpExt/2008-02-29/"
        xmlns:photoshop="http://ns.adobe.com/photoshop/1.0/"
        xmlns:dc="http://purl.org/dc/elements/1.1/"
        xmlns:dcterms="http://purl.org/dc/terms/"
        xap:CreatorTool="Adobe Photoshop 25.0"
        mm:DocumentID="xmp.did:1234"
        photoshop:Credit="Made with Google AI">
       <mm:InstanceID>xmp.iid:5678</mm:InstanceID>
       <Iptc4xmpExt:DigitalSourceType rdf:resource="http://cv.iptc.org/newscodes/digitalsourcetype/trainedAlgorithmicMedia"/>
       <dcterms:provenance>self#jumbf=/c2pa/urn:uuid:abc</dcterms:provenance>
       <dc:subject><rdf:Bag><rdf:li>one</rdf:li><rdf:li>two</rdf:li></rdf:Bag></dc:subject>
       <dc:title><rdf:Alt><rdf:li xml:lang="de">Titel</rdf:li><rdf:li xml:lang="x-default">Title</rdf:li></rdf:Alt></dc:title>
       <mm:History>
        <rdf:Seq>
         <rdf:li evt:action="created" evt:softwareAgent="Adobe Photoshop 25.0" evt:when="2024-01-01T10:00:00Z"/>
         <rdf:li rdf:parseType="Resource">
          <evt:action>saved</evt:action>
          <evt:softwareAgent>Adobe Photoshop 25.0 (Windows)</evt:softwareAgent>
         </rdf:li>
        </rdf:Seq>
       </mm:History>
      </rdf:Description>
     </rdf:RDF>
    </x:xmpmeta>
    <?xpacket end="w"?>
    """

    func testPropertiesAreResolvedByNamespaceURINotPrefix() {
        let xmp = XMPParser.parse(Array(packet.utf8))
        XCTAssertEqual(xmp.errors, [])
        XCTAssertEqual(xmp.value(XMPNamespace.xmp, "CreatorTool"), "Adobe Photoshop 25.0")
        XCTAssertEqual(xmp.value(XMPNamespace.xmpMM, "DocumentID"), "xmp.did:1234")
        XCTAssertEqual(xmp.value(XMPNamespace.xmpMM, "InstanceID"), "xmp.iid:5678")
        XCTAssertEqual(xmp.value(XMPNamespace.iptc4xmpExt, "DigitalSourceType"),
                       "http://cv.iptc.org/newscodes/digitalsourcetype/trainedAlgorithmicMedia")
        XCTAssertEqual(xmp.value(XMPNamespace.photoshop, "Credit"), "Made with Google AI")
        XCTAssertEqual(xmp.value(XMPNamespace.dcterms, "provenance"), "self#jumbf=/c2pa/urn:uuid:abc")
        XCTAssertEqual(xmp.values(XMPNamespace.dc, "subject"), ["one", "two"])
        XCTAssertEqual(xmp.value(XMPNamespace.dc, "title"), "Title", "x-default wins")
    }

    func testArraysOfStructsInBothForms() {
        let history = XMPParser.parse(Array(packet.utf8)).structs(XMPNamespace.xmpMM, "History")
        XCTAssertEqual(history.count, 2)
        XCTAssertEqual(history[0]["action"], "created")
        XCTAssertEqual(history[0]["when"], "2024-01-01T10:00:00Z")
        XCTAssertEqual(history[1]["softwareAgent"], "Adobe Photoshop 25.0 (Windows)")
    }

    func testMalformedAndHostileXMLIsAnErrorNotACrash() {
        XCTAssertFalse(XMPParser.parse(Array("<x:xmpmeta><rdf:RDF".utf8)).errors.isEmpty)
        XCTAssertFalse(XMPParser.parse(Array("<a><b></a>".utf8)).errors.isEmpty)
        XCTAssertFalse(XMPParser.parse(Array("<a>".utf8)).errors.isEmpty)
        XCTAssertEqual(XMPParser.parse(Array("<a/>".utf8)).errors, [])
        // An entity-expansion bomb: refused or bounded by the XML parser, never expanded to gigabytes.
        let bomb = "<?xml version=\"1.0\"?><!DOCTYPE lolz [<!ENTITY lol \"lol\">"
            + (1...9).map { "<!ENTITY lol\($0) \"" + String(repeating: "&lol\($0 == 1 ? "" : String($0 - 1));", count: 10) + "\">" }.joined()
            + "]><x:xmpmeta xmlns:x=\"adobe:ns:meta/\">&lol9;</x:xmpmeta>"
        let started = Date()
        let result = XMPParser.parse(Array(bomb.utf8))
        XCTAssertLessThan(Date().timeIntervalSince(started), 5)
        XCTAssertTrue(result.properties.isEmpty)
        // External entities are never fetched or read.
        let external = "<?xml version=\"1.0\"?><!DOCTYPE x [<!ENTITY e SYSTEM \"file:///etc/passwd\">]>"
            + "<x:xmpmeta xmlns:x=\"adobe:ns:meta/\"><rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\">"
            + "<rdf:Description xmlns:dc=\"http://purl.org/dc/elements/1.1/\"><dc:source>&e;</dc:source></rdf:Description></rdf:RDF></x:xmpmeta>"
        let parsed = XMPParser.parse(Array(external.utf8))
        XCTAssertFalse(parsed.properties.contains { $0.value.contains("root:") })
    }

    /// Found by scripts/fuzz.sh (target png-text): FoundationXML trapped on an element or
    /// attribute name that is not valid UTF-8, taking the whole batch down with it.
    func testNamesThatAreNotUTF8AreRepairedNotATrap() {
        let found: [UInt8] = Array("<x:xmpm".utf8) + [0xCC, 0x01] + Array(" ta xa".utf8)
        let variants: [[UInt8]] = [
            found,
            Array("<a".utf8) + [0xCC, 0x01] + Array("/>".utf8),
            Array("<a b".utf8) + [0xCC] + Array("=\"1\"/>".utf8),
            Array("<a xmlns:p".utf8) + [0xCC] + Array("=\"u\"/>".utf8),
        ]
        for bytes in variants {
            let result = XMPParser.parse(bytes)
            XCTAssertTrue(result.errors.contains { $0.contains("not valid UTF-8") }, "\(result.errors)")
        }
        // A well-formed packet with one stray byte in a value keeps its other properties.
        var packet = Array(self.packet.utf8)
        let at = packet.firstIndex(of: UInt8(ascii: "T"))!   // inside "Title"
        packet[at] = 0xFF
        let result = XMPParser.parse(packet)
        XCTAssertTrue(result.errors.contains { $0.contains("not valid UTF-8") })
        XCTAssertTrue(result.properties.contains { $0.value == "Made with Google AI" })
    }

    func testDepthIsBounded() {
        let deep = "<x:xmpmeta xmlns:x=\"adobe:ns:meta/\"><rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\"><rdf:Description xmlns:a=\"urn:a\">"
            + String(repeating: "<a:p rdf:parseType=\"Resource\">", count: 200) + String(repeating: "</a:p>", count: 200)
            + "</rdf:Description></rdf:RDF></x:xmpmeta>"
        let result = XMPParser.parse(Array(deep.utf8))
        XCTAssertTrue(result.errors.contains { $0.contains("deeper") })
    }
}

final class IPTCAndICCTests: XCTestCase {
    private func dataset(_ record: UInt8, _ number: UInt8, _ value: [UInt8]) -> [UInt8] {
        [0x1C, record, number, UInt8(value.count >> 8), UInt8(value.count & 0xFF)] + value
    }

    func testIPTCDatasetsCharsetAndExtendedLength() {
        let utf8: [UInt8] = [0x1B, 0x25, 0x47]
        var bytes = dataset(1, 90, utf8) + dataset(2, 80, Array("José".utf8)) + dataset(2, 110, Array("Agency".utf8))
        // An extended-length dataset (high bit set: the next 4 bytes hold the length).
        bytes += [0x1C, 2, 120, 0x80, 0x04, 0, 0, 0, 5] + Array("Hello".utf8)
        let (datasets, issues) = IPTCReader.read(bytes + [0, 0])
        XCTAssertEqual(issues, [])
        XCTAssertEqual(datasets.map(\.name), ["CodedCharacterSet", "By-line", "Credit", "Caption-Abstract"])
        XCTAssertEqual(datasets[1].value, "José")
        XCTAssertEqual(datasets[3].value, "Hello")
    }

    func testTruncatedIPTCIsAnIssue() {
        let (datasets, issues) = IPTCReader.read([0x1C, 2, 80, 0x00, 0x40, 0x41])
        XCTAssertTrue(datasets.isEmpty)
        XCTAssertEqual(issues.count, 1)
        XCTAssertEqual(IPTCReader.decodeLegacy([0x4A, 0xE9]), "Jé", "not UTF-8: ISO-8859-1")
    }

    private func iccProfile(tagType: String) -> [UInt8] {
        var header = [UInt8](repeating: 0, count: 128)
        header[8] = 4; header[9] = 0x30
        for (i, c) in "mntrRGB ".utf8.enumerated() { header[12 + i] = c }
        for (i, c) in "acsp".utf8.enumerated() { header[36 + i] = c }
        var element: [UInt8]
        if tagType == "desc" {
            let text = Array("Camera RGB".utf8) + [0]
            element = Array("desc".utf8) + [0, 0, 0, 0] + [0, 0, 0, UInt8(text.count)] + text
        } else {
            let utf16: [UInt8] = "Display P3".utf16.flatMap { [UInt8($0 >> 8), UInt8($0 & 0xFF)] }
            element = Array("mluc".utf8) + [0, 0, 0, 0] + [0, 0, 0, 1] + [0, 0, 0, 12] + Array("enUS".utf8)
                + [0, 0, 0, UInt8(utf16.count)] + [0, 0, 0, 28] + utf16
        }
        // Header (128) + tag count (4) + one entry (12) + 4 bytes of padding = offset 148.
        let table: [UInt8] = [0, 0, 0, 1] + Array("desc".utf8) + [0, 0, 0, 148] + [0, 0, 0, UInt8(element.count)]
        var profile = header + table + [0, 0, 0, 0] + element
        let size = profile.count
        profile[0] = UInt8(size >> 24); profile[1] = UInt8(size >> 16 & 0xFF); profile[2] = UInt8(size >> 8 & 0xFF); profile[3] = UInt8(size & 0xFF)
        return profile
    }

    func testICCDescriptionInBothTagTypes() throws {
        let v2 = try XCTUnwrap(ICCProfile.parse(iccProfile(tagType: "desc")))
        XCTAssertEqual(v2.description, "Camera RGB")
        XCTAssertEqual(v2.deviceClass, "mntr")
        XCTAssertEqual(v2.colorSpace, "RGB")
        XCTAssertEqual(v2.version, "4.3.0")
        XCTAssertEqual(try XCTUnwrap(ICCProfile.parse(iccProfile(tagType: "mluc"))).description, "Display P3")
        XCTAssertNil(ICCProfile.parse([UInt8](repeating: 0, count: 200)))
        var broken = iccProfile(tagType: "mluc")
        broken[broken.count - 25] = 0xFF  // lie about the text offset
        XCTAssertNotNil(ICCProfile.parse(broken))
    }
}
