"""GDAL as the oracle for demo-world tests (run with /usr/bin/python3, which has osgeo).

Reads JSON from stdin: {"validate": [paths], "sample": [{"path": p, "points": [[col, row], ...]}]}
Writes JSON: {"invalid": {path: [errors]}, "samples": {path: [values]}, "info": {path: {...}}}.
One process for many files keeps the check fast.
"""
import json
import sys

from osgeo import gdal
from osgeo_utils.samples.validate_cloud_optimized_geotiff import ValidateCloudOptimizedGeoTIFFException, validate

gdal.UseExceptions()
req = json.load(sys.stdin)
out = {"invalid": {}, "samples": {}, "info": {}}
for path in req.get("validate", []):
    try:
        warnings, errors, _ = validate(path, full_check=True)
        if errors:
            out["invalid"][path] = errors
    except ValidateCloudOptimizedGeoTIFFException as e:
        out["invalid"][path] = [str(e)]
for s in req.get("sample", []):
    ds = gdal.Open(s["path"])
    band = ds.GetRasterBand(1)
    vals = []
    for col, row in s["points"]:
        vals.append(int(band.ReadAsArray(col, row, 1, 1)[0][0]))
    out["samples"][s["path"]] = vals
    srs = ds.GetSpatialRef()
    out["info"][s["path"]] = {
        "epsg": int(srs.GetAuthorityCode(None)) if srs else None,
        "geotransform": list(ds.GetGeoTransform()),
        "size": [ds.RasterXSize, ds.RasterYSize],
        "nodata": band.GetNoDataValue(),
        "overviews": [[band.GetOverview(i).XSize, band.GetOverview(i).YSize] for i in range(band.GetOverviewCount())],
        "block": band.GetBlockSize(),
        "mean": band.ComputeStatistics(False)[2],
    }
json.dump(out, sys.stdout)
