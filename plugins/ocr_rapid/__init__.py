"""Built-in Timetabler plugin: RapidOCR (PP-OCRv4 on ONNX Runtime), an offline second OCR engine."""
