/**
 * RDF serialisation and SHACL validation shared by the modules that publish linked data
 * (open data: DCAT-AP; services: CPSV-AP). See docs/opendata.md, "RDF and SHACL".
 */
export * from './rdf';
export { toRdfXml } from './rdfxml';
export { loadShapes, validateShacl, type ShaclReport, type ShaclResult, type Shapes } from './shacl';
